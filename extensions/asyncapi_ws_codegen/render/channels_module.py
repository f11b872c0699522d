"""What ``channels.py`` imports, and the type names in its signatures.

Signatures name the classes themselves (``message: Say | Join``), however long; ``type_layout``
lays long annotations out as ruff does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Api, Operation
from .module_imports import (
    channel_header_imports,
    channel_parameter_imports,
    channel_payload_imports,
    channel_query_imports,
)


@dataclass(frozen=True)
class OperationTypes:
    """The names the functions of one operation use for its types."""

    operation: Operation
    # Parameters class ("" when the channel has no parameters).
    parameters: str
    # Message type: the class or a union of classes (``Say | Join``), ``Any`` without messages.
    message: str
    # Reply type: the class or a union of classes ("" without replies).
    reply: str
    # What a server ``on_message`` callback returns: the reply type or ``None``, or just ``None``.
    reply_or_none: str

    @property
    def parameters_or_none(self) -> str:
        """The parameters type for callback and subscription generics."""
        return self.parameters or "None"


@dataclass(frozen=True)
class ChannelsModule:
    """The imports of ``channels.py``, the aliases it defines and the types each operation uses."""

    # Classes imported from headers.py, parameters.py, payloads.py and servers.py, each sorted.
    header_imports: tuple[str, ...]
    parameter_imports: tuple[str, ...]
    payload_imports: tuple[str, ...]
    query_imports: tuple[str, ...]
    # One entry per operation, in the order of ``Api.operations``.
    operations: tuple[OperationTypes, ...]

    @property
    def isort_off(self) -> bool:
        """Whether the imports of sibling modules need ``# isort: off`` (the generator sorts them).

        isort would order names with digits naturally (``Room2`` before ``Room10``); the lists
        here are sorted as plain text, like every other list in the generated code.
        """
        return bool(self.parameter_imports or self.payload_imports)


def channels_module(api: Api) -> ChannelsModule:
    """The layout decisions of ``channels.py`` for ``api``."""
    return ChannelsModule(
        header_imports=channel_header_imports(api),
        parameter_imports=channel_parameter_imports(api),
        payload_imports=channel_payload_imports(api),
        query_imports=channel_query_imports(api),
        operations=tuple(_operation_types(op) for op in api.operations),
    )


def _operation_types(op: Operation) -> OperationTypes:
    return OperationTypes(
        operation=op,
        parameters=op.channel.parameters_class or "",
        message=op.message_annotation,
        reply=op.reply_annotation,
        reply_or_none=f"{op.reply_annotation} | None" if op.reply_messages else "None",
    )
