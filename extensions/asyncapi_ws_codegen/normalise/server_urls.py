"""``servers``: each server's connect URL as a template with its variables' defaults and enums."""

from __future__ import annotations

import re
from typing import Any

from ..errors import join_pointer
from ..ir import Server
from .nodes import Deref, text_of
from .spec_elements import ElementBuilder

_VARIABLE = re.compile(r"\{([^{}]+)\}")


def build_servers(n: ElementBuilder, major: int) -> list[Server]:
    """The servers of the document, in document order (2.x ``url``, 3.x ``host`` + ``pathname``)."""
    servers = []
    for name, raw in n.mapping(n.doc.get("servers"), "/servers").items():
        node, _ = n.deref(raw, join_pointer("/servers", name))
        if not isinstance(node, dict):
            continue
        protocol = text_of(node, "protocol")
        if major >= 3:
            host = text_of(node, "host")
            path = text_of(node, "pathname")
            url = host if "://" in host else f"{protocol}://{host}" if protocol else host
            url += path
        else:
            url = text_of(node, "url")
            if "://" not in url and protocol:
                url = f"{protocol}://{url}"
        template, variables = server_template(n.deref, node, join_pointer("/servers", name), url)
        servers.append(
            Server(
                name=name,
                url=template,
                protocol=protocol,
                description=text_of(node, "description"),
                variables=variables,
            )
        )
    return servers


def server_template(
    deref: Deref, node: dict[str, Any], pointer: str, url: str
) -> tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]]:
    """The connect URL with ``{variable}`` placeholders kept, and each variable's default/enum."""
    declared, declared_pointer = deref(node.get("variables"), join_pointer(pointer, "variables"))
    declared = declared if isinstance(declared, dict) else {}
    variables = []
    for name in dict.fromkeys(_VARIABLE.findall(url)):
        spec, _ = deref(declared.get(name), join_pointer(declared_pointer, name))
        spec = spec if isinstance(spec, dict) else {}
        enum = tuple(str(v) for v in spec.get("enum") or [])
        default = spec.get("default")
        variables.append((name, str(default) if default is not None else "", enum))
    return url, tuple(variables)
