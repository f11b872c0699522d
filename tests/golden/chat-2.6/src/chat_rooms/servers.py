"""Server URLs of Chat Rooms and helpers that build connect URLs.

Generated functions never open connections; these helpers only build the URL to pass to
``websockets.asyncio.client.connect``: server (``servers`` in the spec, variables filled in) +
channel path (literal parts and parameter values percent-encoded) + query (``bindings.ws.query``, typed).

Example:
    >>> channel_url("ws://localhost:8080", channel="/status", query={"a": "1 2"})
    'ws://localhost:8080/status?a=1+2'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from . import _runtime
from ._runtime import paths as _paths
from .errors import ParameterError

__all__ = [
    "SERVERS",
    "channel_url",
    "server_url",
]


class _Path(Protocol):
    def get_channel_with_parameters(self) -> str: ...


class _Query(Protocol):
    def to_strings(self) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class Server:
    """One entry of the spec's ``servers``.

    Attributes:
        name: the key in ``servers``.
        url: the connect URL, with ``{variable}`` placeholders.
        protocol: ``ws``, ``wss`` ... as the spec says.
        description: the spec's description.
        variables: name -> (default, allowed values) of each placeholder.
    """

    name: str
    url: str
    protocol: str
    description: str
    variables: Mapping[str, tuple[str, list[str]]]


SERVERS: dict[str, Server] = {
    "production": Server(
        name="production",
        url="wss://chat.example.com/ws",
        protocol="wss",
        description="The public chat service.",
        variables={},
    ),
}
"""Every server of the spec, by name."""


def channel_url(
    base: str,
    *,
    parameters: _Path | None = None,
    channel: str | None = None,
    query: _Query | Mapping[str, str] | None = None,
) -> str:
    """Join a base URL, a channel path and a query string.

    Args:
        base: ``ws://host:port`` or ``ws://host:port/prefix``.
        parameters: a channel-parameters instance; its path (percent-encoded) is appended.
        channel: the address of a channel without parameters (e.g. a ``*_ADDRESS`` constant);
            it is percent-encoded as needed (``"ä ö"`` becomes ``"%C3%A4%20%C3%B6"``).
        query: a query class of this package, or plain name -> text pairs.

    Example:
        >>> channel_url("ws://localhost:1", channel="chat", query={"x": "1"})
        'ws://localhost:1/chat?x=1'
    """
    if parameters is not None:
        path = parameters.get_channel_with_parameters()
    else:
        # An address is text: its literal parts are percent-encoded (an encoded path is kept).
        path = _paths.encode_address(channel or "")
    url = base.rstrip("/")
    if path:
        url += "/" + path.lstrip("/")
    strings = query if query is None or isinstance(query, Mapping) else query.to_strings()
    return _runtime.with_query(url, strings)


def server_url(
    name: str,
    *,
    parameters: _Path | None = None,
    channel: str | None = None,
    query: _Query | Mapping[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
) -> str:
    """The connect URL of a channel on one of the spec's servers.

    Args:
        name: the server's key in ``servers``.
        parameters: a channel-parameters instance (for channels with parameters).
        channel: the path of a channel without parameters.
        query: handshake query parameters.
        variables: values of the server URL's ``{variables}`` (defaults apply).

    Raises:
        ParameterError: unknown server, missing variable or a value not in its enum.
    """
    server = SERVERS.get(name)
    if server is None:
        raise ParameterError(f"unknown server {name!r}; known: {sorted(SERVERS)!r}")
    url = server.url
    for variable, (default, allowed) in server.variables.items():
        value = (variables or {}).get(variable, default)
        if value == "":
            raise ParameterError(f"server variable {variable!r} has no value and no default")
        if allowed and value not in allowed:
            raise ParameterError(f"server variable {variable!r} must be one of {allowed!r}")
        url = url.replace("{" + variable + "}", value)
    return channel_url(url, parameters=parameters, channel=channel, query=query)
