"""Sensor Feed: typed WebSocket client and server.

Readings from sensors, with the schemas kept in separate files.

Generated from AsyncAPI 3.0.0 document version 0.3.0. Modules:

* :mod:`sensor_feed.payloads`: message payload classes.
* :mod:`sensor_feed.parameters`: channel-parameter classes.
* :mod:`sensor_feed.connections`: ``connect_<channel>``, typed connections this package
  opens for you.
* :mod:`sensor_feed.channels`: ``publish_to_*``, ``subscribe_to_*``, ``register_*``,
  ``broadcast_to_*`` (on connections you create yourself) and the server
  :class:`~sensor_feed.channels.Router`.
* :mod:`sensor_feed.brokers`: what carries broadcasts, in this process or across several.
* :mod:`sensor_feed.errors`: the exceptions this package raises.
"""

from __future__ import annotations

__version__ = "0.3.0"
