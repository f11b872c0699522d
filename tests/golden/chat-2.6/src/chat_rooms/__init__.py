"""Chat Rooms: typed WebSocket client and server.

Rooms where people talk in real time. Clients join a room by opening a WebSocket on its
address, post messages and receive everyone's messages and presence changes.

Generated from AsyncAPI 2.6.0 document version 2.1.0. Modules:

* :mod:`chat_rooms.payloads`: message payload classes.
* :mod:`chat_rooms.parameters`: channel-parameter classes.
* :mod:`chat_rooms.connections`: ``connect_<channel>``, typed connections this package
  opens for you.
* :mod:`chat_rooms.channels`: ``publish_to_*``, ``subscribe_to_*``, ``register_*``,
  ``broadcast_to_*`` (on connections you create yourself) and the server
  :class:`~chat_rooms.channels.Router`.
* :mod:`chat_rooms.brokers`: what carries broadcasts, in this process or across several.
* :mod:`chat_rooms.errors`: the exceptions this package raises.
"""

from __future__ import annotations

__version__ = "2.1.0"
