"""Same-run ratios measured in short interleaved blocks, so a shared machine's drift cancels out.

A two-core virtual machine shared with others changes speed over tenths of a second. When each case
ran alone for a whole round (0.2 s) and its baseline some seconds earlier, the raw one-way loop
measured against itself (an A/A test) gave per-round ratios with quartiles 0.87-1.01 and the same
code's figures swung by 10 % from round to round. Here every case of a group is opened once, side
by side (its own server and client), and each round is a series of short blocks that visit every
case in turn, the order rotating from block to block; a case's rate in a round is its messages over
the sum of its blocks' times. Drift then falls on every case of the group alike: the same A/A test
gives quartiles of about 0.99-1.02 with 25 blocks per round.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

Block = Callable[[int], Awaitable[float]]
"""Moves ``k`` messages through an open case and returns the seconds it took."""

Case = Callable[[], AbstractAsyncContextManager[Block]]
"""Opens a case (its server, client, subscriptions) and yields its :data:`Block`."""


class Arrivals:
    """Counts what a receiving side handled; :meth:`expect` waits for ``k`` more.

    The raw and the generated side of a ratio both count through :meth:`tick`, so its cost is the
    same on both sides.
    """

    def __init__(self) -> None:
        self.count = 0
        self.target = -1
        self.reached = asyncio.Event()

    def tick(self) -> None:
        self.count += 1
        if self.count == self.target:
            self.reached.set()

    def expect(self, k: int) -> Awaitable[Any]:
        self.target = self.count + k
        self.reached.clear()
        return self.reached.wait()


async def interleaved(cases: dict[str, Case], *, per_round: int, rounds: int, blocks: int) -> dict[str, list[float]]:
    """Every case's rate (messages per second) in each round, the cases measured block by block.

    One untimed block per case first: connections, caches and first-time checks are warm before
    any block counts.
    """
    size = max(1, per_round // blocks)
    rates: dict[str, list[float]] = {name: [] for name in cases}
    async with contextlib.AsyncExitStack() as stack:
        opened = {name: await stack.enter_async_context(open_case()) for name, open_case in cases.items()}
        names = list(opened)
        for name in names:
            await opened[name](size)
        for _ in range(rounds):
            seconds = dict.fromkeys(names, 0.0)
            for block in range(blocks):
                shift = block % len(names)
                for name in names[shift:] + names[:shift]:
                    seconds[name] += await opened[name](size)
            for name in names:
                rates[name].append(size * blocks / seconds[name])
    return rates


def ratio_figure(rates: dict[str, list[float]], case: str, baseline: str, target: float | None) -> dict[str, Any]:
    """One case as a ratio to its baseline: the median of the per-round ratios, with their quartiles.

    Each round's ratio compares rates measured in the same interleaved blocks; the quartiles show how
    much a single round's ratio still varies.
    """
    ratios = sorted(g / b for g, b in zip(rates[case], rates[baseline], strict=True))
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
    figure: dict[str, Any] = {
        "name": case,
        "value": statistics.median(rates[case]),
        "unit": "msg/s",
        "baseline": baseline,
        "baseline_value": statistics.median(rates[baseline]),
        "ratio": statistics.median(ratios),
        "ratio_quartiles": [quartiles[0], quartiles[2]],
    }
    if target is not None:
        figure["target"] = target
    return figure
