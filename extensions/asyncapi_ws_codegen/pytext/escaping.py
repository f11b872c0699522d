"""The only route by which spec text reaches generated Python: literals, docstrings, comments.

Each filter produces text that ``ruff format`` leaves unchanged and that can never close the string,
docstring or comment it sits in, whatever the spec contains.
"""

from __future__ import annotations

import unicodedata

_SIMPLE_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char]
    category = unicodedata.category(char)
    if category.startswith("C") or category in {"Zl", "Zp"}:
        code = ord(char)
        if code <= 0xFF:
            return f"\\x{code:02x}"
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        return f"\\U{code:08x}"
    return char


def _plain(text: str) -> bool:
    """Printable ASCII only: nothing but backslashes (and quotes) needs escaping.

    Almost all spec text is; the check is C speed, the per-character path is not (a big spec has
    millions of characters to render).
    """
    return text.isascii() and text.isprintable()


def py_str(value: object) -> str:
    """A Python string literal for ``value``, quoted the way ``ruff format`` prefers."""
    text = str(value)
    quote = "'" if text.count('"') > text.count("'") else '"'
    if _plain(text):
        body = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    else:
        body = "".join("\\" + char if char == quote else _escape_char(char) for char in text)
    return f"{quote}{body}{quote}"


def _docstring_text(value: object) -> str:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        if _plain(line):
            lines.append(line.replace("\\", "\\\\").rstrip())
        else:
            lines.append("".join(_escape_char(char) if char not in "\t" else "    " for char in line).rstrip())
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def _quote_safe(body: str) -> str:
    """Escape every double quote that could join the docstring's delimiters or form ``\"\"\"``.

    A quote is escaped when it touches another quote or sits at either end of the text, so no run
    of quotes survives; lone quotes inside the text stay readable.
    """
    if '"' not in body:
        return body
    out = []
    last = len(body) - 1
    for index, char in enumerate(body):
        touching = (index > 0 and body[index - 1] == '"') or (index < last and body[index + 1] == '"')
        if char == '"' and (touching or index in (0, last)):
            out.append('\\"')
        else:
            out.append(char)
    return "".join(out)


def py_docstring(value: object, indent: int = 0, fallback: str = "") -> str:
    """Docstring body text: escaped, trailing spaces trimmed, continuation lines indented.

    The first line is returned as is; later lines get ``indent`` spaces, so the result can be put
    between triple quotes at any nesting level. A trailing quote is escaped so it cannot merge with
    the closing ``\"\"\"``.
    """
    # The fallback is escaped too: templates build it from spec text (wire names, ids).
    text = _docstring_text(value) or _docstring_text(fallback)
    lines = text.split("\n")
    # Common leading whitespace would be stripped by ruff; keep lines flush instead.
    lines = [lines[0].lstrip()] + [line.strip() for line in lines[1:]]
    pad = " " * indent
    return _quote_safe("\n".join([lines[0]] + [pad + line if line else "" for line in lines[1:]]))


def py_summary(value: object, fallback: str = "") -> str:
    """The first sentence/line of ``value`` as a one-line docstring-safe text."""
    text = _docstring_text(value) or _docstring_text(fallback)
    return _quote_safe(next((line.strip() for line in text.split("\n") if line.strip()), ""))


def py_comment(value: object) -> str:
    """Text for a ``#`` comment: one line, escaped."""
    return " ".join(_docstring_text(value).split())


def toml_str(value: object) -> str:
    """A TOML basic string for ``value`` (``pyproject.toml``): quotes, backslashes and controls escaped.

    Python's ``repr`` is not TOML (``'it\\'s'`` is invalid there), hence this separate filter.
    """
    out = []
    for char in str(value):
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
