"""JSON Schema validation of payloads: a compiled fast path, ``jsonschema`` to explain rejections.

Every schema the package validates against lives in ``schemas.json`` beside this module, at its
pointer in the AsyncAPI document. A validator is compiled once per schema, on first use, with
``fastjsonschema`` (plain Python code generated for the schema, fast for accept/reject). Only when it
rejects a value does ``jsonschema`` run, to report the JSON path and the failing keyword.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from .errors import PayloadValidationError


@cache
def _document() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("schemas.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _root(pointer: str) -> dict[str, Any]:
    # Siblings of `$ref` are ignored (draft-07), so the document can carry the definitions.
    return {"$ref": "#" + pointer, **_document()}


@cache
def _explainer(pointer: str) -> jsonschema.protocols.Validator:
    validator: jsonschema.protocols.Validator = jsonschema.Draft7Validator(
        _root(pointer), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    return validator


def _explain(pointer: str, value: Any) -> PayloadValidationError:
    error = jsonschema.exceptions.best_match(_explainer(pointer).iter_errors(value))
    if error is None:  # the fast path and jsonschema disagree; report the fast path's verdict
        return PayloadValidationError("value does not match its schema")
    return PayloadValidationError(error.message, path=error.json_path, keyword=str(error.validator))


@cache
def validator(pointer: str) -> Callable[[Any], None]:
    """The validator of the schema at ``pointer``; raises :class:`PayloadValidationError`."""
    compiled = fastjsonschema.compile(_root(pointer))

    def validate(value: Any) -> None:
        try:
            compiled(value)
        except fastjsonschema.JsonSchemaValueException:
            raise _explain(pointer, value) from None

    return validate
