"""User Service: typed WebSocket client and server.

WebSocket-based user event system

Generated from AsyncAPI 3.0.0 document version 1.0.0. Modules:

* :mod:`user_service.payloads`: message payload classes.
* :mod:`user_service.parameters`: channel-parameter classes.
* :mod:`user_service.connections`: ``connect_<channel>``, typed connections this package
  opens for you.
* :mod:`user_service.channels`: ``publish_to_*``, ``subscribe_to_*``, ``register_*``,
  ``broadcast_to_*`` (on connections you create yourself) and the server
  :class:`~user_service.channels.Router`.
* :mod:`user_service.brokers`: what carries broadcasts, in this process or across several.
* :mod:`user_service.errors`: the exceptions this package raises.
"""

from __future__ import annotations

__version__ = "1.0.0"
