"""A broker on Redis pub/sub: broadcasts reach every process attached to the same Redis.

Each broadcast is one ``PUBLISH`` on ``<prefix>:<channel id>``; every broker listens to
``<prefix>:*`` and hands what arrives to the routers attached to it, its own broadcasts
included, so each process writes to its own connections once. An envelope
(:mod:`.broker_envelope`) carries the publisher's id and a sequence number: a repeat is dropped,
a gap is logged with the number of broadcasts lost.

Redis pub/sub is at-most-once. While Redis is unreachable, broadcasts are logged and dropped
(never queued, so never sent twice), and the listener reconnects with exponential backoff,
then logs the window in which this process heard nothing. ``redis`` (redis-py) is imported
only when a broker starts, so packages that never use Redis do not depend on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import random
import time
import uuid
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from .broker_envelope import EnvelopeError, pack, unpack
from .fanout import Target

__all__ = [
    "BrokerStats",
    "RedisBroker",
]

logger = logging.getLogger(__name__)

# Publishers remembered for repeat and gap detection; the oldest is forgotten beyond this.
_MAX_PUBLISHERS = 10_000


@dataclass
class BrokerStats:
    """Counters of one :class:`RedisBroker`, for monitoring (read them, do not write)."""

    published: int = 0
    """Broadcasts handed to Redis."""
    dropped: int = 0
    """Broadcasts dropped because Redis could not be reached (logged)."""
    received: int = 0
    """Broadcasts received from Redis and delivered to the attached routers."""
    repeated: int = 0
    """Broadcasts received a second time and dropped."""
    lost: int = 0
    """Broadcasts of other publishers known lost: the sum of the sequence gaps seen."""
    foreign: int = 0
    """Messages on the prefix that were not broadcasts of this kind (logged, dropped)."""
    reconnects: int = 0
    """Times the listener got its subscription back after losing Redis."""


class RedisBroker:
    """Carries broadcasts through Redis pub/sub to every process attached to the same Redis.

    Use it as an async context manager (or call :meth:`start` and :meth:`close`) and pass it to
    every router: ``Router(broker=broker)``. Needs the ``redis`` package (this package's
    ``redis`` extra).

    Args:
        url: the Redis URL (``redis://host:port/db``, ``rediss://`` for TLS).
        prefix: the first part of the Redis channel names; processes that should reach each
            other use the same one.
        min_backoff: seconds before the first reconnection attempt; doubled after each failure.
        max_backoff: the longest wait between attempts.
        client_options: passed on to ``redis.asyncio.Redis.from_url`` (timeouts, TLS, auth).

    Example:
        One process of several behind a load balancer, each started the same way::

            async with RedisBroker("redis://127.0.0.1:6379/0") as broker:
                router = Router(broker=broker)
                async with serve(router, "", 8080, process_request=router.process_request):
                    await asyncio.Event().wait()  # serve until cancelled
    """

    def __init__(
        self,
        url: str = "redis://127.0.0.1:6379/0",
        *,
        prefix: str = "asyncapi-ws",
        min_backoff: float = 0.1,
        max_backoff: float = 5.0,
        **client_options: Any,
    ) -> None:
        self.url = url
        self.prefix = prefix
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.stats = BrokerStats()
        self.publisher_id = uuid.uuid4().hex
        self._client_options = client_options
        self._targets: weakref.WeakSet[Any] = weakref.WeakSet()
        self._sequence = 0
        self._last: OrderedDict[str, int] = OrderedDict()
        self._client: Any = None
        self._errors: tuple[type[BaseException], ...] = (OSError,)
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()
        # Broadcasts waiting for the publish in progress: sent next, in one round trip.
        self._outbox: list[tuple[str, bytes, asyncio.Future[None]]] = []
        self._writing = False
        # Finishes the publishes queued behind a cancelled one (held so it is not collected).
        self._drainer: asyncio.Task[None] | None = None

    @property
    def connected(self) -> bool:
        """Whether the listener is subscribed (broadcasts from other processes arrive)."""
        return self._subscribed.is_set()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Connect and subscribe; return once broadcasts from other processes arrive.

        Raises:
            RuntimeError: the ``redis`` package is not installed.
            redis.exceptions.ConnectionError: Redis cannot be reached now (a broker that has
                started reconnects by itself later).
        """
        if self._listener is not None:
            return
        redis = _import_redis()
        self._errors = (redis.RedisError, OSError)
        # No retries inside redis-py: a command retried after a lost reply could publish twice.
        options = {"retry": redis.Retry(redis.NoBackoff(), 0), **self._client_options}
        self._client = redis.Redis.from_url(self.url, **options)
        pubsub = await self._subscribe()
        self._listener = asyncio.create_task(self._listen(pubsub), name="redis broker listener")

    async def close(self) -> None:
        """Stop listening and close the connections to Redis."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        self._subscribed.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def attach(self, target: Target) -> None:
        """Deliver every broadcast received from now on to ``target`` too (held weakly)."""
        self._targets.add(target)

    def detach(self, target: Target) -> None:
        """Stop delivering to ``target``."""
        self._targets.discard(target)

    async def publish(self, channel: str, key: str | None, frame: str | bytes) -> None:
        """Publish one broadcast; if Redis cannot be reached, log it and drop it.

        Broadcasts published while another is in flight go together in the next round trip,
        in the order they were published.

        Raises:
            RuntimeError: the broker has not been started.
        """
        if self._client is None:
            raise RuntimeError("the RedisBroker is not started: use `async with RedisBroker(...)`")
        self._sequence += 1
        data = pack(self.publisher_id, self._sequence, channel, key, frame)
        done = asyncio.get_running_loop().create_future()
        self._outbox.append((f"{self.prefix}:{channel}", data, done))
        if self._writing:
            await done
            return
        self._writing = True
        try:
            while self._outbox:
                batch, self._outbox = self._outbox, []
                try:
                    await self._send(batch)
                finally:
                    for _, _, future in batch:
                        if not future.done():
                            future.set_result(None)
        finally:
            self._writing = False
            if self._outbox:  # this call was cancelled with followers waiting: keep them going
                self._drainer = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        if self._writing or not self._outbox:
            return
        batch, self._outbox = self._outbox, []
        self._writing = True
        try:
            await self._send(batch)
        finally:
            self._writing = False
            for _, _, future in batch:
                if not future.done():
                    future.set_result(None)
            if self._outbox:
                await self._drain()

    async def _send(self, batch: list[tuple[str, bytes, asyncio.Future[None]]]) -> None:
        client = self._client
        try:
            if len(batch) == 1:
                await client.publish(batch[0][0], batch[0][1])
            else:
                pipe = client.pipeline(transaction=False)
                for name, data, _ in batch:
                    pipe.publish(name, data)
                await pipe.execute()
            self.stats.published += len(batch)
        except self._errors as exc:
            self.stats.dropped += len(batch)
            logger.warning(
                "Redis unreachable (%s): %d broadcast(s) dropped (pub/sub is at-most-once)",
                exc,
                len(batch),
            )

    async def _subscribe(self) -> Any:
        """A pub/sub connection subscribed to ``<prefix>:*``, confirmed by Redis."""
        pubsub = self._client.pubsub()
        try:
            await pubsub.psubscribe(_glob_escape(self.prefix) + ":*")
            # Broadcasts published before Redis confirms the subscription would not arrive.
            while True:
                message = await pubsub.get_message(timeout=None)
                if message is not None and message["type"] == "psubscribe":
                    break
        except BaseException:
            await pubsub.aclose()
            raise
        self._subscribed.set()
        return pubsub

    async def _listen(self, pubsub: Any) -> None:
        while True:
            try:
                async for message in pubsub.listen():
                    if message["type"] == "pmessage":
                        self._receive(message["channel"], message["data"])
                raise ConnectionError("the subscription ended")
            except self._errors as exc:
                self._subscribed.clear()
                lost_at = time.time()
                logger.warning("lost the Redis subscription (%s); reconnecting", exc)
                with contextlib.suppress(*self._errors):
                    await pubsub.aclose()
                pubsub = await self._reconnect()
                self.stats.reconnects += 1
                logger.warning(
                    "Redis subscription back after %.1f s: broadcasts published from %s to %s "
                    "were not delivered to this process",
                    time.time() - lost_at,
                    _clock(lost_at),
                    _clock(time.time()),
                )

    async def _reconnect(self) -> Any:
        delay = self.min_backoff
        while True:
            # Jitter keeps many workers from knocking on a restarted Redis all at once.
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            try:
                return await self._subscribe()
            except self._errors as exc:
                logger.info("Redis still unreachable (%s); next attempt in %.1f s", exc, delay)
                delay = min(delay * 2, self.max_backoff)

    def _receive(self, redis_channel: bytes, data: bytes) -> None:
        try:
            publisher, sequence, channel, key, frame = unpack(data)
            if redis_channel.decode("utf-8", "replace") != f"{self.prefix}:{channel}":
                raise EnvelopeError("the envelope names another channel than the one it came on")
        except EnvelopeError as exc:
            self.stats.foreign += 1
            logger.warning("dropped a message on %r: %s", redis_channel[:200], exc)
            return
        last = self._last.get(publisher)
        if last is not None:
            if sequence <= last:
                self.stats.repeated += 1
                logger.debug("dropped broadcast %d of %s: already delivered", sequence, publisher)
                return
            if sequence > last + 1:
                self.stats.lost += sequence - last - 1
                logger.warning(
                    "broadcasts %d to %d of publisher %s never arrived (lost while it or this "
                    "process could not reach Redis)",
                    last + 1,
                    sequence - 1,
                    publisher,
                )
        self._last[publisher] = sequence
        self._last.move_to_end(publisher)
        if len(self._last) > _MAX_PUBLISHERS:
            self._last.popitem(last=False)
        self.stats.received += 1
        for target in list(self._targets):
            try:
                target.deliver(channel, key, frame)
            except Exception:
                logger.exception("delivering a broadcast on %r failed", channel)


class _Redis:
    """What this module uses of redis-py, found when a broker starts."""

    def __init__(self, module: Any, exceptions: Any, retry: Any, backoff: Any) -> None:
        self.Redis = module.Redis
        self.RedisError: type[BaseException] = exceptions.RedisError
        self.Retry = retry.Retry
        self.NoBackoff = backoff.NoBackoff


def _import_redis() -> _Redis:
    try:
        return _Redis(
            importlib.import_module("redis.asyncio"),
            importlib.import_module("redis.exceptions"),
            importlib.import_module("redis.asyncio.retry"),
            importlib.import_module("redis.backoff"),
        )
    except ImportError:
        raise RuntimeError(
            "RedisBroker needs redis-py: install this package with its `redis` extra "
            "(pip install '<package>[redis]') or `pip install redis`"
        ) from None


def _glob_escape(text: str) -> str:
    """``text`` matched literally in a Redis ``PSUBSCRIBE`` pattern."""
    return "".join("\\" + char if char in "*?[]\\" else char for char in text)


def _clock(moment: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(moment)) + f".{int(moment % 1 * 1000):03d}"
