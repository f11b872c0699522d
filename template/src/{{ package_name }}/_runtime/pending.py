"""Client side: the requests waiting on a connection's reader for their replies.

The reader (:mod:`.client`) offers every frame to the pending requests, oldest first, before the
subscriptions. It knows a request (:class:`.requests.Waiter`) only as a :class:`PendingReply`.

Timeouts: the requests of a connection share one timer, moved only when a request's deadline
comes before it, so with a fixed timeout a round trip arms and cancels no timer at all.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, Protocol

from .frames import Frame


class PendingReply(Protocol):
    """A request waiting on the reader for its reply (see :class:`.requests.Waiter`)."""

    done: bool
    """Whether the request has its outcome: the reply, or an error."""

    future: asyncio.Future[Any] | None
    """Made by the reader when the request's task waits for another to read the reply; the
    request completes it with its outcome."""

    reading: asyncio.Task[Any] | None
    """The task reading frames for this request itself, which a timeout must interrupt."""

    @property
    def deadline(self) -> float | None:
        """Loop time by which the reply must be in; ``None``: no limit."""

    @property
    def interrupted(self) -> bool:
        """Whether the request already timed out while reading frames itself."""

    def take(self, frame: Frame) -> bool:
        """Complete the request if ``frame`` is its reply."""

    def fail(self, error: Exception) -> None:
        """Complete the request with ``error``, unless it is complete."""

    def outcome(self) -> Any:
        """The reply, or raise the error (once :attr:`done`)."""

    def expire(self) -> None:
        """Give up waiting: the deadline has passed."""

    def timeout_error(self) -> Exception:
        """What the request raises when its deadline passed while it read frames itself."""


class PendingReplies:
    """The requests waiting on one connection, oldest first, and their shared timeout timer.

    ``waiters`` is the list itself, and ``due`` the time the timer fires (infinity: no timer):
    the reader's round trip reads both without a call.
    """

    __slots__ = ("due", "timer", "waiters")

    def __init__(self) -> None:
        self.waiters: list[PendingReply] = []
        self.timer: asyncio.TimerHandle | None = None
        self.due = math.inf

    def take(self, frame: Frame) -> bool:
        """Hand ``frame`` to the oldest request it answers, if any."""
        waiters = self.waiters
        for index, waiter in enumerate(waiters):
            if waiter.take(frame):
                del waiters[index]
                return True
        return False

    def fail(self, error: Exception) -> None:
        """Fail every request still waiting (the connection is gone)."""
        for waiter in self.waiters:
            waiter.fail(error)

    def arm(self, deadline: float) -> None:
        """Make sure the timer fires by ``deadline``."""
        if self.due <= deadline:
            return
        if self.timer is not None:
            self.timer.cancel()
        self.timer = asyncio.get_running_loop().call_at(deadline, self._expire_due)
        self.due = deadline

    def _expire_due(self) -> None:
        """Time out every request past its deadline; set the timer for the next one."""
        self.timer, self.due = None, math.inf
        now = asyncio.get_running_loop().time()
        upcoming: float | None = None
        for waiter in list(self.waiters):
            deadline = waiter.deadline
            if deadline is None or waiter.done or waiter.interrupted:
                continue
            if deadline <= now:
                waiter.expire()
            elif upcoming is None or deadline < upcoming:
                upcoming = deadline
        if upcoming is not None:
            self.arm(upcoming)
