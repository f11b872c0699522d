"""The benchmarks' interleaving: every case visited in each block, the order rotating, and a rate
computed from the blocks' own times (cases here report fixed times, so every figure is exact)."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator

import pytest
from helpers import REPO_ROOT

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.interleave import Arrivals, Block, Case, interleaved, ratio_figure


def fixed(name: str, seconds_per_message: float, log: list[tuple[str, int]], opened: list[str]) -> Case:
    @contextlib.asynccontextmanager
    async def open_case() -> AsyncIterator[Block]:
        opened.append(name)

        async def block(k: int) -> float:
            log.append((name, k))
            return k * seconds_per_message

        yield block
        opened.append(f"closed {name}")

    return open_case


def test_blocks_rotate_and_rates_come_from_the_blocks_times() -> None:
    log: list[tuple[str, int]] = []
    opened: list[str] = []
    cases = {name: fixed(name, cost, log, opened) for name, cost in (("a", 0.001), ("b", 0.002), ("c", 0.004))}
    rates = asyncio.run(interleaved(cases, per_round=120, rounds=2, blocks=3))
    assert rates == {"a": [1000.0, 1000.0], "b": [500.0, 500.0], "c": [250.0, 250.0]}
    # All open side by side, then one warm-up block each, then blocks whose first case rotates.
    assert opened == ["a", "b", "c", "closed c", "closed b", "closed a"]
    order = [name for name, _ in log]
    assert order[:3] == ["a", "b", "c"]
    assert order[3:12] == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert order[12:] == order[3:12]
    assert {k for _, k in log} == {40}


def test_ratio_figure_is_the_median_of_per_round_ratios_with_quartiles() -> None:
    rates = {"gen": [90.0, 100.0, 120.0, 80.0, 100.0], "raw": [100.0, 100.0, 100.0, 100.0, 100.0]}
    figure = ratio_figure(rates, "gen", "raw", 0.95)
    assert figure["ratio"] == pytest.approx(1.0)
    assert figure["ratio_quartiles"] == pytest.approx([0.85, 1.1])
    assert figure["value"] == 100.0 and figure["baseline_value"] == 100.0
    assert figure["target"] == 0.95
    assert "target" not in ratio_figure(rates, "gen", "raw", None)


def test_arrivals_wait_for_exactly_k_more() -> None:
    async def scenario() -> list[bool]:
        arrivals = Arrivals()
        arrivals.tick()
        waited = asyncio.ensure_future(arrivals.expect(2))
        seen = []
        arrivals.tick()
        await asyncio.sleep(0)
        seen.append(waited.done())
        arrivals.tick()
        await asyncio.sleep(0)
        seen.append(waited.done())
        return seen

    assert asyncio.run(scenario()) == [False, True]
