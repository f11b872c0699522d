"""Errors raised by this package.

Every error derives from :class:`AsyncAPIError`. Errors of the ``websockets`` library itself
(``ConnectionClosed``, ``InvalidHandshake`` ...) are never wrapped: they propagate as they are.
"""

from __future__ import annotations

from ._runtime.errors import (
    AsyncAPIError,
    ParameterError,
    PayloadDecodeError,
    PayloadError,
    PayloadValidationError,
    ReplyTimeoutError,
    UnexpectedMessageError,
)

__all__ = [
    "AsyncAPIError",
    "ParameterError",
    "PayloadDecodeError",
    "PayloadError",
    "PayloadValidationError",
    "ReplyTimeoutError",
    "UnexpectedMessageError",
]
