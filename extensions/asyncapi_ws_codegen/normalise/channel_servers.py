"""``channel.servers``: the names of the servers a channel is available on (empty: every server)."""

from __future__ import annotations

from typing import Any

from ..errors import unescape_pointer_token


def channel_servers(node: dict[str, Any]) -> tuple[str, ...]:
    """The server names a channel lists: 2.x names, 3.x ``$ref`` s to ``#/servers/<name>``.

    Anything else (a reference elsewhere, a non-string) is left out: the list only narrows which
    server ``connect_<channel>`` picks by default, and an unreadable entry narrows nothing.
    """
    listed = node.get("servers")
    if not isinstance(listed, list):
        return ()
    names: list[str] = []
    for entry in listed:
        if isinstance(entry, str):
            names.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("$ref"), str):
            ref: str = entry["$ref"]
            if ref.startswith("#/servers/") and ref.count("/") == 2:
                names.append(unescape_pointer_token(ref.removeprefix("#/servers/")))
    return tuple(dict.fromkeys(names))
