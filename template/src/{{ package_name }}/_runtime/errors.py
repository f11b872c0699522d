"""Errors raised by the package (re-exported by its public ``errors`` module).

Every error derives from :class:`AsyncAPIError`. Errors of the ``websockets`` library itself
(``ConnectionClosed``, ``InvalidHandshake`` ...) are never wrapped: they propagate as they are.
"""

from __future__ import annotations


class AsyncAPIError(Exception):
    """Base class of every error this package raises."""


class PayloadError(AsyncAPIError, ValueError):
    """A message could not be decoded or does not match its schema.

    Attributes:
        path: JSON path of the offending value (``$`` is the whole message).
        keyword: the JSON Schema keyword that failed (``type``, ``required`` ...), or ``""``.
        reason: what is wrong, in words.
    """

    def __init__(self, reason: str, *, path: str = "$", keyword: str = "") -> None:
        self.path = path
        self.keyword = keyword
        self.reason = reason
        where = f" at {path}" if path != "$" else ""
        failed = f" ({keyword})" if keyword else ""
        super().__init__(f"{reason}{where}{failed}")


class PayloadDecodeError(PayloadError):
    """A frame is not valid JSON (or not text where text is expected)."""


class PayloadValidationError(PayloadError):
    """A message does not match its JSON Schema."""


class ParameterError(AsyncAPIError, ValueError):
    """A channel URL does not match the channel's address, or a parameter value is invalid."""


class UnexpectedMessageError(PayloadError):
    """A frame matched none of the messages the subscription or route expects."""


class ReplyTimeoutError(AsyncAPIError, TimeoutError):
    """No reply arrived within the timeout of a request."""


# The package's public ``errors`` module re-exports these classes: name them by it, as tracebacks
# show them and as pickle looks them up (``<package>.errors.PayloadError``, not the runtime's path).
_PUBLIC_MODULE = __name__.rsplit(".", 2)[0] + ".errors"
for _error in (
    AsyncAPIError,
    PayloadError,
    PayloadDecodeError,
    PayloadValidationError,
    ParameterError,
    UnexpectedMessageError,
    ReplyTimeoutError,
):
    _error.__module__ = _PUBLIC_MODULE
del _error
