"""Fan-out: which connections are open on which channel, and the broker that carries broadcasts.

A :class:`~.server.Router` keeps a :class:`ConnectionRegistry` of its open connections, filed by
channel id and by the channel path their parameters give (``None`` for a channel without
parameters). A broadcast is encoded once by the generated ``broadcast_to_*`` function, handed to
the router's :class:`Broker` with the channel id and the parameters' path, and every registry
attached to that broker writes it to its matching connections with ``websockets``'
:func:`~websockets.asyncio.server.broadcast` (:func:`.asgi.broadcast` for ASGI connections): a
slow client never blocks the others.

:class:`InProcessBroker` (the default) delivers within this process; ``RedisBroker``
(:mod:`.redis_broker`) delivers to every process attached to the same Redis.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable
from typing import Any, Protocol

from websockets.asyncio.server import ServerConnection

from .asgi import AsgiConnection, broadcast

Socket = ServerConnection | AsgiConnection
"""A server-side connection: from ``serve(router, ...)`` or from ``router.asgi()``."""

__all__ = [
    "Broker",
    "ConnectionRegistry",
    "InProcessBroker",
    "Socket",
    "Target",
    "parameters_key",
]


class Target(Protocol):
    """Where a broker delivers a broadcast: a router's :class:`ConnectionRegistry`."""

    def deliver(self, channel: str, key: str | None, frame: str | bytes) -> None:
        """Write ``frame`` to the open connections on ``channel`` whose key is ``key``.

        ``key`` ``None`` means every connection on the channel.
        """


class Broker(Protocol):
    """What carries a broadcast from the router that sends it to every registry attached.

    ``publish`` must not deliver a broadcast twice to one target, and must deliver one
    publisher's broadcasts in the order it published them.
    """

    def attach(self, target: Target) -> None:
        """Deliver every broadcast published from now on to ``target`` too (held weakly)."""

    def detach(self, target: Target) -> None:
        """Stop delivering to ``target``."""

    async def publish(self, channel: str, key: str | None, frame: str | bytes) -> None:
        """Carry an encoded frame to the targets (``key`` as in :meth:`Target.deliver`)."""


class InProcessBroker:
    """Delivers each broadcast, as it is published, to the routers of this process attached to it.

    Every :class:`~.server.Router` made without a broker has its own; share one between routers
    (two servers in one process) for their broadcasts to reach each other's connections.

    Example:
        Two routers of one process whose broadcasts reach each other's connections::

            broker = InProcessBroker()
            router_a, router_b = Router(broker=broker), Router(broker=broker)
    """

    def __init__(self) -> None:
        # Held weakly: a router that is gone stops receiving without having to say so.
        self._targets: weakref.WeakSet[Any] = weakref.WeakSet()

    def attach(self, target: Target) -> None:
        """Deliver to ``target`` too."""
        self._targets.add(target)

    def detach(self, target: Target) -> None:
        """Stop delivering to ``target``."""
        self._targets.discard(target)

    async def publish(self, channel: str, key: str | None, frame: str | bytes) -> None:
        """Write ``frame`` to every attached registry's matching connections, now."""
        for target in list(self._targets):
            target.deliver(channel, key, frame)


def parameters_key(parameters: Any) -> str | None:
    """The key a connection with these channel parameters is filed under: their channel path.

    Two parameter objects are equal exactly when their paths are (values are percent-encoded
    from their typed form), and a path crosses process boundaries as plain text.
    """
    if parameters is None:
        return None
    key: str = parameters.get_channel_with_parameters()
    return key


class ConnectionRegistry:
    """The open connections of one router, by channel id and parameters' path.

    Only the router changes it (on connect and on disconnect); :meth:`connections` reads it.
    """

    def __init__(self) -> None:
        self._channels: dict[str, dict[str | None, set[Socket]]] = {}

    def add(self, channel: str, key: str | None, ws: Socket) -> None:
        """File an open connection."""
        self._channels.setdefault(channel, {}).setdefault(key, set()).add(ws)

    def discard(self, channel: str, key: str | None, ws: Socket) -> None:
        """Forget a connection (empty groups go too, so the registry does not grow with churn)."""
        groups = self._channels.get(channel)
        if groups is None:
            return
        group = groups.get(key)
        if group is None:
            return
        group.discard(ws)
        if not group:
            del groups[key]
            if not groups:
                del self._channels[channel]

    def connections(self, channel: str, key: str | None = None) -> frozenset[Socket]:
        """The open connections on ``channel`` (whose key is ``key``, unless it is ``None``)."""
        return frozenset(self._select(channel, key))

    def _select(self, channel: str, key: str | None) -> Iterable[Socket]:
        groups = self._channels.get(channel)
        if not groups:
            return ()
        if key is not None:
            return groups.get(key, ())
        if len(groups) == 1:
            return next(iter(groups.values()))
        return itertools.chain.from_iterable(groups.values())

    def deliver(self, channel: str, key: str | None, frame: str | bytes) -> None:
        """Write ``frame`` to the matching connections; closed or failing ones are skipped."""
        # ``broadcast`` writes to each connection's buffer without waiting for any of them
        # (websockets' own function for its connections, an in-order queue for ASGI ones).
        broadcast(self._select(channel, key), frame)
