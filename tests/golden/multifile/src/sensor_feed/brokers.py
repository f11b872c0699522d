"""Brokers: what carries a ``broadcast_to_*`` call to the connections it is meant for.

A :class:`~.channels.Router` made without a broker uses its own :class:`InProcessBroker`: a
broadcast reaches that router's open connections, in this process. Pass one broker to several
routers for their broadcasts to reach each other's connections.

:class:`RedisBroker` reaches the routers of every process attached to the same Redis (install
this package's ``redis`` extra). Redis pub/sub is at-most-once: a broadcast published while
Redis is unreachable is logged and dropped, never sent twice.
"""

from __future__ import annotations

from ._runtime.fanout import Broker, InProcessBroker
from ._runtime.redis_broker import BrokerStats, RedisBroker

__all__ = [
    "Broker",
    "BrokerStats",
    "InProcessBroker",
    "RedisBroker",
]
