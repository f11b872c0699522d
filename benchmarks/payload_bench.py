"""Decode + validate one message: generated payload classes against ``jsonschema`` and ``json.loads``.

    python -m benchmarks.payload_bench [--quick]      # or as the ``payload`` section of python -m benchmarks

Two payloads: the seed's ``UserSignedUp`` (two required strings) and ``Order``, a nested payload of
20 fields (bounds, patterns, enums, formats, an array of objects, a nested object). For each, per
message and in the same run:

- ``json.loads`` alone (the floor);
- the generated ``Cls.unmarshal(text)``: parse, validate (compiled fast path), build the dataclass;
- the same with ``validate=False``;
- ``json.loads`` + a cached ``jsonschema.Draft7Validator(...).validate`` (format checking on, the
  same format functions as the generated package): the fair ``jsonschema`` baseline;
- ``json.loads`` + ``jsonschema.validate(...)``, the one-call function (checks the schema and builds
  a validator each time), as most code calls it.

Each timing is the best of several repeats of many calls. Verdicts are compared on valid and
invalid instances before timing: the run fails if the generated classes and ``jsonschema`` differ.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))

from helpers import generate, make_template_repo  # noqa: E402

sys.path.insert(1, str(REPO_ROOT))  # ``benchmarks.library_bench`` when run as a script

from benchmarks.library_bench import measure_libraries  # noqa: E402

_ADDRESS = {"type": "object", "required": ["street", "city"], "properties": {
    "street": {"type": "string", "minLength": 1}, "city": {"type": "string"},
    "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}}  # fmt: skip
_LINE = {"type": "object", "required": ["sku", "quantity"], "additionalProperties": False, "properties": {
    "sku": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"}, "quantity": {"type": "integer", "minimum": 1},
    "price": {"type": "number", "minimum": 0}}}  # fmt: skip
ORDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "customerId", "status", "createdAt", "lines", "shipping", "total"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "customerId": {"type": "string", "minLength": 3, "maxLength": 64},
        "status": {"type": "string", "enum": ["new", "paid", "shipped", "cancelled"]},
        "createdAt": {"type": "string", "format": "date-time"},
        "deliveryDate": {"type": "string", "format": "date"},
        "email": {"type": "string", "format": "email"},
        "priority": {"type": "integer", "minimum": 0, "maximum": 9},
        "total": {"type": "number", "minimum": 0},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "gift": {"type": "boolean"},
        "note": {"type": ["string", "null"], "maxLength": 500},
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "maxItems": 10},
        "lines": {"type": "array", "minItems": 1, "items": _LINE},
        "shipping": _ADDRESS,
        "billing": _ADDRESS,
        "coupon": {"type": "string"},
        "channel": {"const": "web"},
        "version": {"type": "integer"},
        "source": {"type": "string", "format": "uri"},
        "weight": {"type": "number", "exclusiveMinimum": 0},
    },
}
USER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"userId": {"type": "string"}, "email": {"type": "string"}},
    "required": ["userId", "email"],
}
USER = {"userId": "user123", "email": "user@example.com"}
ORDER = {
    "id": "0b5e7f5e-3c1d-4a8e-9b2f-6d7c8e9fa0b1",
    "customerId": "cust-42",
    "status": "paid",
    "createdAt": "2024-05-01T12:30:00Z",
    "deliveryDate": "2024-05-03",
    "email": "buyer@example.com",
    "priority": 3,
    "total": 99.5,
    "currency": "EUR",
    "gift": False,
    "note": None,
    "tags": ["a", "b"],
    "lines": [{"sku": "ABC-1", "quantity": 2, "price": 10.0}, {"sku": "XYZ-22", "quantity": 1, "price": 79.5}],
    "shipping": {"street": "Main St 1", "city": "Oslo", "zip": "01234"},
    "billing": {"street": "Main St 1", "city": "Oslo"},
    "coupon": "SPRING",
    "channel": "web",
    "version": 2,
    "source": "https://shop.example.com/o/1",
    "weight": 1.25,
}
SPEC = {
    "asyncapi": "3.0.0",
    "info": {"title": "Payload bench", "version": "1.0.0"},
    "channels": {
        "users": {"address": "users", "messages": {"UserSignedUp": {"payload": USER_SCHEMA}}},
        "orders": {"address": "orders", "messages": {"Order": {"payload": ORDER_SCHEMA}}},
    },
    "operations": {
        "sendUser": {"action": "send", "channel": {"$ref": "#/channels/users"}},
        "sendOrder": {"action": "send", "channel": {"$ref": "#/channels/orders"}},
    },
}


def _invalid_variants(valid: dict[str, Any]) -> list[Any]:
    """Instances the schema rejects (and a few it accepts), to compare verdicts."""
    variants: list[Any] = [[], None, "x", {}]
    for key in valid:
        dropped = {k: v for k, v in valid.items() if k != key}
        variants.append(dropped)
        for wrong in (None, 1, "", [], {}, True, -1, 1.5, "not-a-date"):
            changed = copy.deepcopy(valid)
            changed[key] = wrong
            variants.append(changed)
    return variants


def build(work: Path) -> Any:
    """Generate the bench package and import its payloads module."""
    template = make_template_repo(work / "template")
    spec = work / "bench.json"
    spec.write_text(json.dumps(SPEC), "utf-8")
    project = generate(template, work / "project", spec_source=str(spec), package_name="payload_bench_pkg")
    sys.path.insert(0, str(project / "src"))
    return importlib.import_module("payload_bench_pkg.payloads")


def best_per_call(candidates: dict[str, tuple[Callable[[], Any], int]], repeats: int) -> dict[str, float]:
    """Best mean seconds per call of each candidate (function, calls per round).

    Rounds interleave the candidates, so a busy spell on the machine slows all of them alike.
    """
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(repeats):
        for name, (function, calls) in candidates.items():
            start = time.perf_counter()
            for _ in range(calls):
                function()
            best[name] = min(best[name], (time.perf_counter() - start) / calls)
    return best


def measure(payloads: Any, quick: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """Figures for both payloads, and the library comparison's notes."""
    figures: list[dict[str, Any]] = []
    notes: list[str] = []
    for label, cls, schema, instance in (
        ("seed UserSignedUp", payloads.UserSignedUp, USER_SCHEMA, USER),
        ("nested 20-field Order", payloads.Order, ORDER_SCHEMA, ORDER),
    ):
        figures += measure_one(label, cls, schema, instance, quick)
        rows, found = libraries(label, cls, schema, instance, quick)
        figures += rows
        notes += found
    return figures, notes


def libraries(label: str, cls: Any, schema: dict[str, Any], instance: Any, quick: bool) -> tuple[list[Any], list[str]]:
    """jsonschema-rs, orjson and msgspec against the generated paths (:mod:`benchmarks.library_bench`)."""
    validation = importlib.import_module("payload_bench_pkg._runtime.validation")
    jsontext = importlib.import_module("payload_bench_pkg._runtime.jsontext")
    reference = jsonschema.Draft7Validator(schema, format_checker=validation.FORMAT_CHECKER)
    calls, repeats = (300, 2) if quick else (4000, 9)
    check = validation.validator(cls.SCHEMA_POINTER).check
    # The same check as a package without the `fast` extra runs it (no jsonschema-rs).
    document = {"$ref": "#" + cls.SCHEMA_POINTER, **validation._document()}
    without = validation.SchemaValidator(document, library=False).check
    return measure_libraries(
        label,
        schema,
        [instance, *_invalid_variants(instance)],
        reference,
        (jsontext, check, without),
        best_per_call,
        calls,
        repeats,
    )


def measure_one(label: str, cls: Any, schema: dict[str, Any], instance: Any, quick: bool) -> list[dict[str, Any]]:
    """Check verdicts, then time decode + validate of one payload against the baselines."""
    validation = importlib.import_module("payload_bench_pkg._runtime.validation")
    calls, repeats = (300, 2) if quick else (4000, 9)
    figures: list[dict[str, Any]] = []
    reference = jsonschema.Draft7Validator(schema, format_checker=validation.FORMAT_CHECKER)
    disagreements = 0
    variants = [instance, *_invalid_variants(instance)]
    for variant in variants:
        try:
            cls.from_json_data(variant)
            accepted = True
        except Exception:
            accepted = False
        disagreements += accepted != reference.is_valid(variant)
    if disagreements:
        raise SystemExit(f"{label}: {disagreements} verdicts differ from jsonschema")
    text = json.dumps(instance)
    loads = json.loads
    data = loads(text)
    fast = validation.validator(cls.SCHEMA_POINTER).check
    timings = best_per_call(
        {
            "json.loads": (lambda: loads(text), calls),
            "generated unmarshal": (lambda: cls.unmarshal(text), calls),
            "generated unmarshal, validate=False": (lambda: cls.unmarshal(text, validate=False), calls),
            "json.loads + cached Draft7Validator": (lambda: reference.validate(loads(text)), calls // 4),
            "generated validator alone": (lambda: fast(data), calls),
            "cached Draft7Validator alone": (lambda: reference.validate(data), calls // 4),
            "json.loads + jsonschema.validate()": (
                lambda: jsonschema.validate(loads(text), schema, format_checker=validation.FORMAT_CHECKER),
                max(calls // 50, 10),
            ),
        },
        repeats,
    )
    generated = timings["generated unmarshal"]
    for baseline in ("json.loads + cached Draft7Validator", "json.loads + jsonschema.validate()"):
        ratio = timings[baseline] / generated
        row = {
            "name": f"{label}: decode+validate speed-up over {baseline}",
            "value": generated * 1e6,
            "unit": "us/msg",
            "baseline": baseline,
            "baseline_value": timings[baseline] * 1e6,
            "ratio": ratio,
            "better": "higher",
            "verdicts_compared": len(variants),
        }
        if baseline == "json.loads + jsonschema.validate()":
            row.update(target=">= 10x", target_ratio=10.0, met=ratio >= 10.0)
        figures.append(row)
    ratio = timings["cached Draft7Validator alone"] / timings["generated validator alone"]
    figures.append(
        {
            "name": f"{label}: validation alone, speed-up over a cached Draft7Validator",
            "value": timings["generated validator alone"] * 1e6,
            "unit": "us/msg",
            "baseline": "cached Draft7Validator.validate",
            "baseline_value": timings["cached Draft7Validator alone"] * 1e6,
            "ratio": ratio,
            "better": "higher",
            "target": ">= 10x",
            "target_ratio": 10.0,
            "met": ratio >= 10.0,
        }
    )
    for name in ("generated unmarshal", "generated unmarshal, validate=False"):
        figures.append(
            {
                "name": f"{label}: {name} cost over json.loads",
                "value": timings[name] * 1e6,
                "unit": "us/msg",
                "baseline": "json.loads",
                "baseline_value": timings["json.loads"] * 1e6,
                "ratio": timings[name] / timings["json.loads"],
                "better": "lower",
            }
        )
    return figures


def run(quick: bool = False) -> dict[str, Any]:
    """The ``payload`` section of ``python -m benchmarks``."""
    with tempfile.TemporaryDirectory(prefix="payload-bench-") as work:
        payloads = build(Path(work))
        figures, notes = measure(payloads, quick)
        return {"figures": figures, "library_notes": notes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few calls: checks it works, figures mean nothing")
    args = parser.parse_args(argv)
    record = run(args.quick)
    for note in record["library_notes"]:
        print(f"note: {note}")
    for row in record["figures"]:
        target = f"  (target {row['target']}: {'met' if row['met'] else 'MISSED'})" if "target" in row else ""
        print(
            f"{row['name']}\n    {row['value']:.2f} {row['unit']} vs {row['baseline_value']:.2f}"
            f" -> {row['ratio']:.2f}x{target}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
