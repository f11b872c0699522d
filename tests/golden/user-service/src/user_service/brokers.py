"""Brokers: what carries a ``broadcast_to_*`` call to the connections it is meant for.

A :class:`~.channels.Router` made without a broker uses its own :class:`InProcessBroker`: a
broadcast reaches that router's open connections, in this process. Pass one broker to several
routers for their broadcasts to reach each other's connections.
"""

from __future__ import annotations

from ._runtime.fanout import Broker, InProcessBroker

__all__ = [
    "Broker",
    "InProcessBroker",
]
