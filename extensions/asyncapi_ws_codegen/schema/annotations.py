"""Annotation algebra: unions of annotations, and a type made nullable with its conversion code."""

from __future__ import annotations

from .type_info import TypeInfo


def union_annotation(annotations: list[str]) -> str:
    """``A | B | ...`` of the annotations' members, each once, ``None`` last; ``Any`` absorbs all."""
    parts: list[str] = []
    for annotation in annotations:
        for part in _split_union(annotation):
            if part not in parts:
                parts.append(part)
    if "Any" in parts:
        return "Any"
    if "None" in parts:
        parts = [p for p in parts if p != "None"] + ["None"]
    if "float" in parts and "int" in parts:
        parts.remove("int")
    return " | ".join(parts)


def _split_union(annotation: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in annotation:
        depth += (char in "[(" and 1) or 0
        depth -= (char in "])" and 1) or 0
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return parts


def nullable(info: TypeInfo) -> TypeInfo:
    """``info`` that also admits ``None`` (converting code passes ``None`` through untouched)."""
    if info.nullable:
        return info
    encode = info.encode if info.is_plain else f"None if $ is None else {info.encode}"
    decode = info.decode if info.is_plain else f"None if $ is None else {info.decode}"
    return TypeInfo(
        union_annotation([info.annotation, "None"]), encode=encode, decode=decode, nullable=True, needs=info.needs
    )
