"""What the blocking client module (``sync.py``) defines, with its type names qualified.

``sync.py`` imports the package's modules rather than names: its signatures name
``payloads.Say | payloads.Join`` and ``_parameters.RoomParameters``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Api, Operation
from .channels_module import channels_module
from .layout import LINE_LENGTH

# ``_channels._KINDS[payloads.X],`` sits 12 columns in; ruff splits the subscript past the limit.
_KIND_ENTRY_INDENT = 12


@dataclass(frozen=True)
class SyncOperation:
    """The blocking functions of one operation and the (qualified) types they use."""

    operation: Operation
    # Message type, e.g. ``payloads.Say | payloads.Join`` (``Any`` without messages).
    message: str
    # Reply type ("" when the operation has no reply).
    reply: str
    # Parameters type ("" when the channel has no parameters).
    parameters: str

    @property
    def message_kinds(self) -> tuple[tuple[str, bool], ...]:
        """Each message class as ``payloads.X`` and whether its ``_KINDS[...]`` entry wraps."""
        return _kind_entries(self.operation.message_classes)

    @property
    def reply_kinds(self) -> tuple[tuple[str, bool], ...]:
        """Each reply class as ``payloads.X`` and whether its ``_KINDS[...]`` entry wraps."""
        return _kind_entries(self.operation.reply_classes)

    @property
    def publishes(self) -> bool:
        """The client sends these messages: ``publish_to_*`` (and ``request_*`` with a reply)."""
        return self.operation.client_sends

    @property
    def requests(self) -> bool:
        """The client sends and waits for a reply: ``request_*``."""
        return self.operation.client_sends and bool(self.reply)


@dataclass(frozen=True)
class SyncModule:
    """The operations of ``sync.py`` and the package modules it imports."""

    operations: tuple[SyncOperation, ...]

    @property
    def uses_any(self) -> bool:
        """Whether a type is ``Any`` (an operation without messages)."""
        return any("Any" in (t.message, t.reply) for t in self.operations)

    @property
    def uses_parameters(self) -> bool:
        """Whether a signature names a class of ``parameters.py``."""
        return any(t.publishes and t.parameters.startswith("_parameters.") for t in self.operations)

    @property
    def uses_payloads(self) -> bool:
        """Whether a signature, or the kinds of a request or an iterator, name a payload class."""
        return any(t.requests or not t.publishes or t.message.startswith("payloads.") for t in self.operations)


def _kind_entries(classes: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    entries = []
    for cls in classes:
        name = f"payloads.{cls}"
        entries.append((name, _KIND_ENTRY_INDENT + len(f"_channels._KINDS[{name}],") > LINE_LENGTH))
    return tuple(entries)


def _qualified(annotation: str, module: str) -> str:
    """``annotation`` (a class or a union of classes) as ``sync.py`` spells it: classes of ``module``."""
    if not annotation or annotation == "Any":
        return annotation
    return " | ".join(f"{module}.{name}" for name in annotation.split(" | "))


def sync_module(api: Api) -> SyncModule:
    """The layout decisions of ``sync.py`` for ``api``."""
    return SyncModule(
        operations=tuple(
            SyncOperation(
                operation=types.operation,
                message=_qualified(types.message, "payloads"),
                reply=_qualified(types.reply, "payloads") if types.operation.reply_messages else "",
                # ``_parameters``: the module under a name no argument (``parameters=``) shadows.
                parameters=_qualified(types.parameters, "_parameters"),
            )
            for types in channels_module(api).operations
        )
    )
