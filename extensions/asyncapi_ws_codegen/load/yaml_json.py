"""YAML and JSON text -> data, with JSON's data model and errors that give the line.

YAML is read as YAML 1.2 (only ``true``/``false`` are booleans, timestamps stay strings), duplicate
keys are refused in both formats, and non-string keys are spelt as JSON spells them.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

from ..errors import Location, SpecError, join_pointer

_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SpecYamlLoader(_YamlBase):  # type: ignore[misc]
    """Safe YAML loader with YAML 1.2 scalars: the data model is JSON's.

    Timestamps stay strings, and only ``true``/``false`` are booleans: YAML 1.1 would also read
    ``on``, ``off``, ``yes`` and ``no`` as booleans, turning ``enum: [on, off]`` into ``[True, False]``
    (the AsyncAPI tools read YAML 1.2, where those are strings).
    """


_BOOL_TAG = "tag:yaml.org,2002:bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_SpecYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:timestamp", _BOOL_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _SpecYamlLoader.yaml_implicit_resolvers.setdefault(_first, []).append((_BOOL_TAG, _YAML12_BOOL))


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    """A mapping, refusing duplicate keys (YAML would silently keep the last one)."""
    loader.flatten_mapping(node)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        # AsyncAPI documents are JSON data: `200:` or `true:` name the keys "200" and "true". Keys are
        # made text here, as JSON spells them, so that a document reads the same from YAML, from
        # JSON and from the JSON snapshot kept in the answers file.
        key = key if isinstance(key, str) else json.dumps(key)
        if key in result:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_SpecYamlLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


class _NotJsonValueError(yaml.constructor.ConstructorError):
    """A YAML value JSON has no counterpart for."""


def _construct_float(loader: Any, node: yaml.ScalarNode) -> float:
    """A float; ``.nan`` and ``.inf`` are refused: JSON has no such numbers."""
    value: float = yaml.SafeLoader.construct_yaml_float(loader, node)
    if not math.isfinite(value):
        raise _NotJsonValueError(
            None, None, f"{node.value!r} is not a JSON number (JSON has no NaN or infinities)", node.start_mark
        )
    return value


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    """An integer; one too long for Python to read as text is refused rather than crashing."""
    try:
        value: int = yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        raise _NotJsonValueError(
            None, None, f"an integer of {len(node.value)} digits is longer than this generator reads", node.start_mark
        ) from None
    return value


def _refuse_tag(loader: Any, node: yaml.Node) -> Any:
    """Explicit tags for values JSON has no type for (``!!binary``, ``!!set``, ``!!timestamp`` ...)."""
    raise _NotJsonValueError(
        None, None, f"the YAML tag {node.tag.rsplit(':', 1)[-1]!r} makes a value JSON cannot hold", node.start_mark
    )


_SpecYamlLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)
_SpecYamlLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
for _tag in ("binary", "set", "timestamp", "omap", "pairs"):
    _SpecYamlLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


class _DuplicateKeyError(ValueError):
    pass


class _NotJsonNumberError(ValueError):
    pass


def _refuse_lone_surrogates(data: Any, origin: str) -> None:
    """Refuse text with half of a UTF-16 pair (``"\\ud800"``): it cannot be written as UTF-8."""
    stack: list[tuple[Any, str]] = [(data, "")]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, pointer))
                stack.append((item, join_pointer(pointer, key)))
        elif isinstance(value, list):
            stack.extend((item, join_pointer(pointer, index)) for index, item in enumerate(value))
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise SpecError(
                Location(origin, pointer),
                "the text holds a lone UTF-16 surrogate (an escape such as \\ud800 without its pair)",
                "remove the escape, or write the character itself",
            )


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _refuse_constant(name: str) -> Any:
    raise _NotJsonNumberError(name)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def parse_text(data: bytes, origin: str) -> Any:
    """Parse YAML or JSON text (JSON is YAML, but ``json`` is faster and its errors clearer)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(Location(origin), f"the file is not UTF-8 text ({exc.reason})", "save it as UTF-8") from exc
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        raise SpecError(Location(origin), "the file is empty", "give an AsyncAPI document")
    try:
        return _parse(text, origin)
    except RecursionError:
        raise SpecError(
            Location(origin), "the document is nested too deeply to read", "flatten it (use $ref for shared parts)"
        ) from None


def _parse(text: str, origin: str) -> Any:
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text, object_pairs_hook=_json_object, parse_constant=_refuse_constant)
            if "\\ud" in text.lower():  # only an escape can make a lone surrogate in valid UTF-8
                _refuse_lone_surrogates(data, origin)
            return data
        except _NotJsonNumberError as exc:
            raise SpecError(
                Location(origin), f"invalid JSON: {exc.args[0]} is not a JSON number", "write a number or a string"
            ) from None
        except _DuplicateKeyError as exc:
            raise SpecError(
                Location(origin), f"duplicate key {exc.args[0]!r} in a JSON object", "keep one of the entries"
            ) from exc
        except json.JSONDecodeError as exc:
            if origin.endswith(".json"):
                raise SpecError(
                    Location(origin, line=exc.lineno),
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    "fix the syntax",
                ) from exc
            # Not JSON after all: YAML flow style ({a: b}) is common in hand-written files.
        except ValueError:  # what is left: a number Python will not read (over 4,300 digits)
            raise SpecError(
                Location(origin),
                "invalid JSON: a number has more digits than this generator reads (4,300)",
                "write a shorter number, or a string",
            ) from None
    try:
        return yaml.load(text, Loader=_SpecYamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "syntax error"
        hint = "keep one of the entries" if "duplicate key" in problem else "fix the syntax"
        if isinstance(exc, _NotJsonValueError):
            hint = "quote it to make it a string, or write a JSON value"
        raise SpecError(Location(origin, line=line), f"invalid YAML: {problem}", hint) from exc
    except yaml.YAMLError as exc:
        raise SpecError(Location(origin), f"invalid YAML: {exc}", "fix the syntax") from exc
