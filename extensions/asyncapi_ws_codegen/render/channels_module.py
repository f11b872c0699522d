"""What ``channels.py`` imports, and the type names in its signatures with the aliases that keep
them short.

A signature line must fit the line length whatever the spec's names are: a long parameters class
is imported under a short alias (``_P<n>``), an operation's messages get an alias
(``_Message<n>``) when they are a union or when the subscription callback line would be too long,
and a union of replies gets ``_Reply<n>``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..ir import Api, Operation
from .layout import LINE_LENGTH
from .module_imports import (
    channel_header_imports,
    channel_parameter_classes,
    channel_parameter_imports,
    channel_payload_imports,
    channel_query_imports,
)

# A parameters class name longer than this is used under its ``_P<n>`` alias.
_LONGEST_PARAMETERS_NAME = 32


@dataclass(frozen=True)
class OperationTypes:
    """The names the functions of one operation use for its types."""

    operation: Operation
    # Parameters type ("" when the channel has no parameters): the class or its ``_P<n>`` alias.
    parameters: str
    # Message type: the class(es) as written, or ``_Message<n>``.
    message: str
    # ``_Message<n>`` is a ``Union`` of these classes (two or more), or ...
    message_union: tuple[str, ...]
    # ... ``_Message<n>`` stands for this annotation (a name too long for the callback line); or "".
    message_alias_of: str
    # Reply type: the class(es) as written, or ``_Reply<n>`` (a ``Union`` of ``reply_union``).
    reply: str
    reply_union: tuple[str, ...]
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
    # ``_P<n> = <ParametersClass>`` lines, as (alias, class).
    parameter_aliases: tuple[tuple[str, str], ...]
    # One entry per operation, in the order of ``Api.operations``.
    operations: tuple[OperationTypes, ...]

    @property
    def uses_union(self) -> bool:
        """Whether a ``_Message<n>`` or ``_Reply<n>`` alias is a ``Union`` (``typing.Union``)."""
        return any(t.message_union or t.reply_union for t in self.operations)

    @property
    def isort_off(self) -> bool:
        """Whether the imports of sibling modules need ``# isort: off`` (the generator sorts them).

        isort would order names with digits naturally (``Room2`` before ``Room10``); the lists
        here are sorted as plain text, like every other list in the generated code.
        """
        return bool(self.parameter_imports or self.payload_imports)


def channels_module(api: Api) -> ChannelsModule:
    """The layout decisions of ``channels.py`` for ``api``."""
    classes = channel_parameter_classes(api)
    aliases = {name: f"_P{index}" for index, name in enumerate(classes) if len(name) > _LONGEST_PARAMETERS_NAME}
    operations = tuple(
        _operation_types(index, op, aliases.get(op.channel.parameters_class or "", op.channel.parameters_class or ""))
        for index, op in enumerate(api.operations)
    )
    return ChannelsModule(
        header_imports=channel_header_imports(api),
        parameter_imports=channel_parameter_imports(api),
        payload_imports=channel_payload_imports(api),
        query_imports=channel_query_imports(api),
        parameter_aliases=tuple((alias, name) for name, alias in aliases.items()),
        operations=operations,
    )


def _operation_types(index: int, op: Operation, parameters: str) -> OperationTypes:
    union = op.message_classes if len(op.message_classes) > 1 else ()
    direct = "" if union else op.message_annotation
    callback = f"    on_data_callback: DataCallback[{direct}, {parameters or 'None'}] | None = None,"
    too_long = len(callback) > LINE_LENGTH
    message = f"_Message{index}" if union or too_long else direct
    reply_union = op.reply_classes if len(op.reply_classes) > 1 else ()
    reply = f"_Reply{index}" if reply_union else op.reply_annotation
    return OperationTypes(
        operation=op,
        parameters=parameters,
        message=message,
        message_union=union,
        message_alias_of=direct if too_long and not union else "",
        reply=reply,
        reply_union=reply_union,
        reply_or_none=f"{reply} | None" if op.reply_messages else "None",
    )
