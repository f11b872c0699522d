"""AsyncAPI 2.x and 3.x -> one :class:`~.ir.Api`.

2.x ``subscribe`` (the application sends) maps to 3.x ``send``; 2.x ``publish`` maps to ``receive``.
With the *client* perspective, ``send`` means the generated client sends and the server receives
(the reference generator's reading); the *server* perspective flips every operation; *auto* (the
copier default) picks one of the two from the document (:mod:`.perspective`).

:mod:`.version_layouts` walks each version's layout of channels and operations; :mod:`.spec_elements`
builds the messages, channels and operations they find.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..check.reference_rules import check_references
from ..check.structure_rules import check_structure
from ..errors import Location, SpecError
from ..ir import Api
from ..load.loaded_spec import locate
from .nodes import text_of
from .perspective import read_perspective
from .project_metadata import project_info
from .server_urls import build_servers
from .spec_elements import ElementBuilder, Options
from .version_layouts import normalise_v2, normalise_v3

SUPPORTED_VERSIONS = ("2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0")


def _version(document: dict[str, Any], origin: str) -> str:
    version = document.get("asyncapi")
    if version is None:
        _refuse_other_formats(document, origin)
        raise SpecError(
            Location(origin, "/asyncapi"),
            "this is not an AsyncAPI document: the `asyncapi` version field is missing",
            "add `asyncapi: 3.0.0` (or the 2.x version it is written for) at the top",
        )
    text = str(version)
    if text not in SUPPORTED_VERSIONS:
        hint = f"use one of {', '.join(SUPPORTED_VERSIONS)}"
        if not isinstance(version, str):
            hint += " and quote it (YAML reads an unquoted 3.0 as a number)"
        raise SpecError(Location(origin, "/asyncapi"), f"AsyncAPI version {text!r} is not supported", hint)
    return text


def _refuse_other_formats(document: dict[str, Any], origin: str) -> None:
    """An OpenAPI or Swagger document is named as such: adding an ``asyncapi`` field would not help."""
    for field, name in (("openapi", "an OpenAPI"), ("swagger", "a Swagger (OpenAPI 2)")):
        if field in document:
            shown = str(document[field])[:40]
            shown = shown if shown.isprintable() else repr(shown)
            raise SpecError(
                Location(origin, "/" + field),
                f"this is {name} document (`{field}: {shown}`); this template needs AsyncAPI",
                "OpenAPI describes HTTP endpoints; describe the WebSocket API in an AsyncAPI document "
                "(2.0 to 3.1, https://www.asyncapi.com/docs/reference/specification/latest) and generate from that",
            )


def build_api(document: dict[str, Any], origin: str, options: Options | None = None) -> Api:
    """Normalise a bundled document into the model the templates render.

    Every refusal names the file, the line (when the document was read from a file) and the JSON
    pointer of the offending node.
    """
    try:
        return _build_api(document, origin, options)
    except SpecError as exc:
        where = exc.location
        if where.line is not None or where.file != origin:
            raise
        raise SpecError(locate(document, where.pointer, origin), exc.problem, exc.hint) from None


def _build_api(document: dict[str, Any], origin: str, options: Options | None = None) -> Api:
    options = options or Options()
    version = _version(document, origin)
    check_structure(document, lambda pointer: locate(document, pointer, origin))
    check_references(document, lambda pointer: locate(document, pointer, origin))
    reading = read_perspective(document, options.perspective)
    n = ElementBuilder(document, origin, replace(options, perspective=reading.side))
    major = int(version.split(".")[0])
    channels, operations = normalise_v3(n) if major >= 3 else normalise_v2(n)
    info = n.mapping(document.get("info"), "/info")
    compiler = n.schemas
    schemas_json = json.dumps(
        compiler.resolver.schemas_document(), sort_keys=True, ensure_ascii=True, separators=(",", ":")
    )
    typing_imports = sorted(compiler.typing)
    return Api(
        title=text_of(info, "title") or "AsyncAPI service",
        version=str(info.get("version", "0.1.0")),
        description=text_of(info, "description"),
        asyncapi_version=version,
        models=tuple(compiler.models),
        messages=tuple(n.messages.values()),
        channels=tuple(channels),
        operations=tuple(operations),
        servers=tuple(build_servers(n, major)),
        schemas_json=schemas_json,
        uses_unset=compiler.uses_unset,
        typing_imports=tuple(typing_imports),
        message_aliases=tuple(n.aliases),
        project=project_info(document),
        perspective=reading.side,
        perspective_reason=reading.reason,
        perspective_decided=reading.decided,
    )


__all__ = ["Options", "build_api"]
