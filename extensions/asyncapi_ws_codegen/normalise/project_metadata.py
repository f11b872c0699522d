"""Packaging metadata from the document's ``info``: contact, license, external docs, tags.

The generated ``pyproject.toml`` and the defaults of the author and license questions come from
here. Values that would make the package unbuildable (a license name that is not an SPDX
expression, a contact email or URL that is not one) are left empty, so the answers' defaults apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..ir.project import ProjectInfo

_EMAIL = re.compile(r"^[^@\s<>,\"]+@[^@\s<>,\"]+\.[^@\s<>,\"]+$")
_URL = re.compile(r"^https?://[^\s\"'<>\\]+$")
# Characters an SPDX expression may contain: identifiers, `+`, parentheses, AND/OR/WITH.
_SPDX_CHARS = re.compile(r"^[A-Za-z0-9.+\-() ]+$")


def canonical_license(name: str) -> str:
    """The SPDX expression a license name stands for, or "" (``Apache 2.0`` -> ``Apache-2.0``)."""
    try:
        from packaging.licenses import canonicalize_license_expression
    except ImportError:  # packaging < 24.2: accept what already looks like an expression
        return name if name and _SPDX_CHARS.match(name) and " " not in name.strip() else ""
    for candidate in (name, name.replace(" ", "-"), name.replace(" License", "").replace(" ", "-")):
        if not candidate or not _SPDX_CHARS.match(candidate):
            continue
        try:
            return str(canonicalize_license_expression(candidate))
        except ValueError:
            continue
    return ""


def _text(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _mapping(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = mapping.get(key)
    return value if isinstance(value, Mapping) else {}


def _url(value: str) -> str:
    return value if _URL.match(value) else ""


def _summary(info: Mapping[str, Any]) -> str:
    """First sentence of ``info.description`` (one line), else the title."""
    description = info.get("description")
    if isinstance(description, str):
        first = next((line.strip() for line in description.splitlines() if line.strip()), "")
        sentence = first.split(". ")[0].rstrip(".")
        if sentence:
            return sentence + "."
    title = _text(info, "title")
    return f"{title}: typed WebSocket client and server." if title else "Typed WebSocket client and server."


def project_info(document: Mapping[str, Any]) -> ProjectInfo:
    """Collect the packaging metadata of a (2.x or 3.x) document."""
    info = _mapping(document, "info")
    contact = _mapping(info, "contact")
    license_ = _mapping(info, "license")
    # 2.x keeps externalDocs and tags at the root; 3.x moved them into info.
    docs = _mapping(info, "externalDocs") or _mapping(document, "externalDocs")
    tags = info.get("tags", document.get("tags"))
    keywords = ["asyncapi", "websockets"]
    if isinstance(tags, list):
        for tag in tags:
            name = _text(tag, "name") if isinstance(tag, Mapping) else ""
            keyword = "-".join(re.findall(r"[a-z0-9]+", name.lower()))
            if keyword and keyword not in keywords:
                keywords.append(keyword)
    email = _text(contact, "email")
    license_name = _text(license_, "name")
    return ProjectInfo(
        summary=_summary(info),
        contact_name=_text(contact, "name"),
        contact_email=email if _EMAIL.match(email) else "",
        contact_url=_url(_text(contact, "url")),
        license_name=license_name,
        license_url=_url(_text(license_, "url")),
        spdx_license=canonical_license(license_name),
        docs_url=_url(_text(docs, "url")),
        keywords=tuple(keywords),
    )
