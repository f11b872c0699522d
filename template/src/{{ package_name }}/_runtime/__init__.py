"""The runtime of this package: frames, the client reader, the server router, models, validation.

These files are vendored: every package the template generates carries the same ones, byte for
byte, whatever its AsyncAPI document says. They are tested once, by the template's own tests, and
``copier update`` replaces them with the template's version. Do not edit them here; the
generated public modules (``payloads``, ``parameters``, ``headers``, ``channels``, ``servers``,
``errors``) are the package's API.

Modules, each with one job:

* :mod:`.frames`: message kinds, frames, encoding (:mod:`.jsontext`: the frames' JSON text);
* :mod:`.client`: a client connection's shared reader; :mod:`.subscriptions`, :mod:`.requests`
  (:mod:`.pending`: the requests waiting on the reader); :mod:`.connection`: the typed
  connections ``connect_<channel>`` opens;
* :mod:`.server`: the :class:`~.server.Router`; :mod:`.server_frames`: its frames in and replies
  out; :mod:`.callbacks`: what it calls; :mod:`.asgi`: the router as an ASGI application;
* :mod:`.fanout`: the router's connection registry and the brokers broadcasts go through;
  :mod:`.redis_broker` (:mod:`.broker_envelope`): the broker on Redis pub/sub;
* :mod:`.paths`: channel addresses and parameter checks; :mod:`.handshake`: query and headers;
* :mod:`.model`: the payload base classes; :mod:`.unset`: ``UNSET``; :mod:`.validation`,
  :mod:`.accept`, :mod:`.rust_verdict` (:mod:`.rust_regex`): JSON Schema checks;
  :mod:`.pointer`: JSON pointers; :mod:`.errors`: the exceptions (the package's ``errors``
  module re-exports them).

The names below are what the generated modules call through ``_runtime.<name>``.
"""

from __future__ import annotations

from .client import check_client_path
from .frames import Kind, correlate, encode
from .handshake import FieldSpec, check_strings, from_strings, to_strings, with_query

__version__ = "1.2.0"
"""The version of these files, raised with every change to them."""

__all__ = [
    "FieldSpec",
    "Kind",
    "__version__",
    "check_client_path",
    "check_strings",
    "correlate",
    "encode",
    "from_strings",
    "to_strings",
    "with_query",
]
