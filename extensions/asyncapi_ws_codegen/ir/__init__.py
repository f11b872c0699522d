"""The intermediate representation: frozen, template-ready records with public fields only.

Templates loop over these and call macros; they never compute names, escape text or read the raw
document. The producing stages (``schema``, ``normalise``) import these record types to fill them,
so nothing here imports a producer. Code fragments (annotations, encode/decode expressions) come
from the schema compiler.
"""

from .api import Api
from .channels import Alias, Channel, HandshakeField, Message, Operation, Parameter, Server
from .payloads import Field, Model, UnionCase, UnionDecoder
from .project import ProjectInfo

__all__ = [
    "Alias",
    "Api",
    "Channel",
    "Field",
    "HandshakeField",
    "Message",
    "Model",
    "Operation",
    "Parameter",
    "ProjectInfo",
    "Server",
    "UnionCase",
    "UnionDecoder",
]
