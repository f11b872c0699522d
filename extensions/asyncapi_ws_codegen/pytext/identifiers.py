"""Every Python identifier the generator emits is made here, once, deterministically.

Rules: split words on case changes and non-alphanumerics; transliterate what NFKD can, encode the
rest as ``uXXXX``; prefix a leading digit; suffix keywords, soft keywords, builtins and the
ambiguous single letters ``l``, ``O``, ``I`` with ``_``;
resolve collisions inside one namespace with ``_2``, ``_3`` ... in document order.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections.abc import Iterable

_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))
# Names the generated modules use themselves; a user-visible name must never shadow them.
_MODULE_RESERVED = frozenset({"annotations", "json", "dataclass", "field", "Any", "Literal", "Self", "Mapping"})
# Names a payload attribute must not take: the implicit first parameters and the payload base class's
# own methods and attributes (a field would shadow them).
_MEMBER_RESERVED = frozenset(
    {
        "self",
        "cls",
        "additional_properties",
        "from_json_data",
        "marshal",
        "to_json_data",
        "unmarshal",
        "validate",
        "validate_data",
    }
)
# Names pycodestyle (ruff E741/E742/E743) calls ambiguous: `l`, `O` and `I` read as `1` and `0`.
# They get the trailing `_` too (`l_`, `O_`); the wire name they stand for stays as written.
_AMBIGUOUS = frozenset({"l", "O", "I"})
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def _ascii_words(text: str) -> list[str]:
    pieces: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(char):
            continue
        if char.isascii():
            pieces.append(char if char.isalnum() else " ")
        else:
            pieces.append(f" u{ord(char):04x} ")
    return _WORD.findall("".join(pieces))


def snake_case(text: str, *, fallback: str = "value", max_length: int | None = None) -> str:
    """``userId`` -> ``user_id``; result is a valid, non-reserved identifier.

    ``max_length`` keeps the name to that many characters, whole words first (a package name is a
    folder name, and file systems refuse names over 255 bytes).
    """
    words = [word.lower() for word in _ascii_words(text)]
    if max_length is not None:
        words = _first_words(words, max_length)
    name = "_".join(words) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in _RESERVED or name in _MODULE_RESERVED or name in _MEMBER_RESERVED or name in _AMBIGUOUS:
        name += "_"
    return name


def _first_words(words: list[str], max_length: int) -> list[str]:
    """The leading words that fit in ``max_length`` characters joined by ``_`` (a cut first word if none)."""
    kept: list[str] = []
    length = -1
    for word in words:
        length += len(word) + 1
        if length > max_length:
            break
        kept.append(word)
    return kept or [words[0][:max_length]] if words else []


def pascal_case(text: str, *, fallback: str = "Model") -> str:
    """``user-signed up`` -> ``UserSignedUp``; acronyms keep their case after the first letter."""
    words = _ascii_words(text)
    name = "".join(word[:1].upper() + word[1:] for word in words) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if name in _RESERVED or name in _MODULE_RESERVED or name in _AMBIGUOUS:
        name += "_"
    return name


def upper_snake(text: str, *, fallback: str = "VALUE") -> str:
    """``in-progress`` -> ``IN_PROGRESS``."""
    name = snake_case(text, fallback=fallback.lower()).rstrip("_").upper() or fallback
    return f"{name}_" if name in _AMBIGUOUS else name


class Namespace:
    """Hands out unique names; the first claimant of a name keeps it."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(taken)

    def claim(self, name: str) -> str:
        """Return ``name``, or ``name_2``, ``name_3``... if it is taken."""
        candidate = name
        counter = 2
        while candidate in self._taken:
            candidate = f"{name}{'' if name.endswith('_') else '_'}{counter}"
            counter += 1
        self._taken.add(candidate)
        return candidate

    def __contains__(self, name: object) -> bool:
        return name in self._taken
