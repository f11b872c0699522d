"""The import lists of the generated modules: which names each one imports, in what order.

The generated code is ruff-clean as rendered, so each list is complete (nothing unused) and
sorted the way the template places it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..ir import Api


def parameter_parsers(api: Api) -> tuple[str, ...]:
    """The runtime parse functions ``parameters.py`` imports, sorted."""
    names = {p.parser for c in api.parameterised_channels for p in c.parameters if p.parser}
    return tuple(sorted(names))


def _case_blind(names: Iterable[str]) -> tuple[str, ...]:
    """``names`` sorted ignoring case, the order ``channels.py`` lists its sibling imports in.

    Names equal but for case keep the order they come in.
    """
    return tuple(sorted(names, key=str.lower))


def header_payload_imports(api: Api) -> tuple[str, ...]:
    """Message headers classes ``headers.py`` re-exports from ``payloads.py``, in import order."""
    return _case_blind(api.message_headers_classes)


def channel_parameter_classes(api: Api) -> tuple[str, ...]:
    """Parameter classes ``channels.py`` uses, sorted (case first)."""
    return tuple(sorted({op.channel.parameters_class for op in api.operations if op.channel.parameters_class}))


def channel_parameter_imports(api: Api) -> tuple[str, ...]:
    """Parameter classes ``channels.py`` imports, in import order."""
    return _case_blind(channel_parameter_classes(api))


def channel_payload_imports(api: Api) -> tuple[str, ...]:
    """Payload classes ``channels.py`` imports, in import order."""
    return _case_blind(sorted({c for op in api.operations for c in (*op.message_classes, *op.reply_classes)}))


def channel_header_imports(api: Api) -> tuple[str, ...]:
    """Handshake headers classes ``channels.py`` imports from ``headers.py``, in import order."""
    return _case_blind(c.handshake_headers_class for c in api.handshake_channels if c.handshake_headers_class)


def channel_query_imports(api: Api) -> tuple[str, ...]:
    """Handshake query classes ``channels.py`` imports from ``servers.py``, in import order."""
    return _case_blind(c.query_class for c in api.handshake_channels if c.query_class)


def demo_modules(api: Api) -> tuple[str, ...]:
    """The package modules the generated demo (``__main__.py``) imports, sorted."""
    used = api.used_channels
    modules = {"channels", "connections", "payloads"}
    if channel_parameter_classes(api):
        modules.add("parameters")
    if any(c.required_query_fields for c in used):
        modules.add("servers")
    if any(c.required_header_fields for c in used):
        modules.add("headers")
    return tuple(sorted(modules))
