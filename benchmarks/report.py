"""Printing and plotting of benchmark figures (rows of value, same-run baseline, ratio, target)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any


def normalised(row: dict[str, Any]) -> dict[str, Any]:
    """A figure row with a bare numeric ``target`` read as a minimum ratio (throughputs)."""
    target = row.get("target")
    if isinstance(target, (int, float)) and not isinstance(target, bool):
        return {
            **row,
            "target": f">= {target:g}x",
            "target_ratio": float(target),
            "better": row.get("better", "higher"),
            "met": row.get("met", row["ratio"] >= target),
            # The median alone can pass on a lucky run: the lower quartile of the per-round ratios
            # must meet the target too for the figure to have headroom.
            "quartile_met": not row.get("ratio_quartiles") or row["ratio_quartiles"][0] >= target,
        }
    return row


def ratio_text(row: dict[str, Any]) -> str:
    """``0.93x``, with the interquartile range of the per-round ratios where the row has one."""
    text = f"{row['ratio']:.3g}x"
    quartiles = row.get("ratio_quartiles")
    if quartiles:
        text += f" ({quartiles[0]:.3g}-{quartiles[1]:.3g})"
    return text


def format_figures(figures: list[dict[str, Any]]) -> str:
    """An aligned table: figure, value, same-run baseline, ratio (and in CPU seconds), target."""
    rows = [("figure", "value", "baseline (same run)", "ratio", "cpu ratio", "target")]
    for f in map(normalised, figures):
        met = "" if "met" not in f else ("  met" if f["met"] else "  MISSED")
        if f.get("met") and not f.get("quartile_met", True):
            met = "  met (lower quartile MISSED)"
        unit = f.get("unit", "")
        baseline_value = f.get("baseline_value")
        baseline = f"{f.get('baseline', '')}: {baseline_value:.4g} {unit}" if baseline_value is not None else ""
        rows.append(
            (
                str(f["name"]),
                f"{f['value']:.4g} {unit}",
                baseline,
                ratio_text(f),
                f"{f['cpu_ratio']:.3g}x" if "cpu_ratio" in f else "",
                str(f.get("target", "")) + met,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _all_figures(record: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for section, result in record.get("sections", {}).items():
        for row in map(normalised, result.get("figures") or []):
            if isinstance(row.get("ratio"), (int, float)) and math.isfinite(row["ratio"]) and row["ratio"] > 0:
                rows.append((section, row))
    return rows


def plot(record: dict[str, Any], path: Path) -> Path:
    """Two panels: copy time against spec size, and every figure's ratio to its baseline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = _all_figures(record)
    generation = record.get("sections", {}).get("generation", {})
    copies = generation.get("copy") or {}
    height = max(4.0, 0.38 * len(figures) + 1.5)
    fig, (left, right) = plt.subplots(1, 2, figsize=(15, height), gridspec_kw={"width_ratios": [1, 1.6]})

    if copies:
        sizes = sorted(int(k) for k in copies)
        times = [copies[str(s)]["median_s"] for s in sizes]
        left.plot(sizes, times, "o-", label="copier copy (whole package)")
        growth = generation.get("growth")
        if growth and str(growth["from_channels"]) in copies:
            base_n = growth["from_channels"]
            base_t = copies[str(base_n)]["median_s"]
            above = [s for s in sizes if s >= base_n]
            left.plot(above, [base_t * s / base_n for s in above], ":", color="grey", label=f"linear from {base_n}")
        peer = generation.get("peer")
        if peer:
            left.plot([peer["channels"]], [peer["median_s"]], "s", color="tab:red",
                      label=f"{peer['tool']} {peer['version']} (models only)")  # fmt: skip
        update = generation.get("update")
        if update and "median_s" in update:
            left.plot(
                [update["channels"]], [update["median_s"]], "^", color="tab:purple", label="copier update (2% edit)"
            )
        bundled = generation.get("bundled_example_copy")
        if bundled:
            left.axhline(bundled["median_s"], color="tab:green", linestyle="--", linewidth=1, label="bundled example")
        if sizes[-1] >= 20 * sizes[0]:
            left.set_xscale("log")
            left.set_yscale("log")
        left.set_xlabel("channels (2 messages each)")
        left.set_ylabel("seconds (median)")
        left.set_title("Generation time against spec size")
        left.grid(True, alpha=0.3)
        left.legend(fontsize=8, loc="lower right")
    else:
        left.set_axis_off()

    if figures:
        labels = [f"[{section}] {row['name']}" for section, row in figures]
        ratios = [row["ratio"] for _, row in figures]
        colours = ["tab:grey" if "met" not in row else ("tab:green" if row["met"] else "tab:red") for _, row in figures]
        positions = list(range(len(figures)))[::-1]
        right.barh(positions, ratios, color=colours)
        for position, (_, row) in zip(positions, figures, strict=True):
            right.annotate(f" {row['ratio']:.3g}x", (row["ratio"], position), va="center", fontsize=7)
            target = row.get("target_ratio")
            if isinstance(target, (int, float)):
                right.plot([target, target], [position - 0.4, position + 0.4], color="black", linewidth=2)
        right.set_yticks(positions)
        right.set_yticklabels([label if len(label) < 85 else label[:82] + "..." for label in labels], fontsize=7)
        right.set_xscale("log")
        right.axvline(1.0, color="grey", linewidth=0.8)
        right.set_xlabel("ratio to the same-run baseline (log; black tick = target; green met, red missed)")
        right.set_title("Every figure against its baseline")
    else:
        right.set_axis_off()
    machine = record.get("machine", {})
    fig.suptitle(
        f"asyncapi-ws-template benchmarks, {record.get('started_utc', '')}: {machine.get('nproc')} CPUs, "
        f"Python {machine.get('python')}, copier {machine.get('versions', {}).get('copier')}"
        + (" (quick run: figures not meaningful)" if record.get("quick") else ""),
        fontsize=10,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def markdown(record: dict[str, Any]) -> str:
    """The record's machine line and figure tables as Markdown (what docs/benchmarks.md shows)."""
    machine = record.get("machine", {})
    versions = machine.get("versions", {})
    lines = [
        f"Run {record.get('started_utc', '?')} (`{record.get('command', 'python -m benchmarks')}`): "
        f"{machine.get('nproc')} CPUs ({machine.get('cpu')}), {machine.get('memory_gib')} GiB, "
        f"Python {machine.get('python')}, copier {versions.get('copier')}, websockets {versions.get('websockets')}, "
        f"load average at start {machine.get('load_average_at_start')}.",
        "",
    ]
    for section, result in record.get("sections", {}).items():
        lines.append(f"#### {section}")
        lines.append("")
        if "skipped" in result or "error" in result:
            lines.append(f"Not run: {result.get('skipped') or 'failed (see the JSON record)'}.")
            lines.append("")
            continue
        if not result.get("figures") and isinstance(result.get("output"), str):
            lines += ["```text", result["output"].rstrip(), "```", ""]
            continue
        lines.append("| figure | value | baseline (same run) | ratio | CPU ratio | target |")
        lines.append("|---|---|---|---|---|---|")
        for f in map(normalised, result.get("figures") or []):
            unit = f.get("unit", "")
            met = "" if "met" not in f else (" (met)" if f["met"] else " (**missed**)")
            baseline_value = f.get("baseline_value")
            baseline = f"{f.get('baseline', '')}: {baseline_value:.4g} {unit}" if baseline_value is not None else ""
            cpu = f"{f['cpu_ratio']:.3g}x" if "cpu_ratio" in f else ""
            lines.append(
                f"| {f['name']} | {f['value']:.4g} {unit} | {baseline} | {ratio_text(f)} | {cpu} "
                f"| {f.get('target', '')}{met} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    source = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results" / "latest.json"
    print(markdown(json.loads(source.read_text("utf-8"))))
