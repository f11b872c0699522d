"""Channel addresses as URL paths: the canonical percent-encoding of their literal parts.

An address is written as text (``/../{user-id}/ä ö/{type}``); on the wire it is a URL path, and
``websockets`` neither encodes a client's ASCII path nor decodes a server's. Both sides therefore
agree on one canonical form, computed here at generation time and by ``_runtime.encode_address``
in the generated package (the two must stay identical):

* an existing run of ``%XX`` triplets is kept as percent-encoding (decoded bytes re-encoded, so
  unreserved characters come out plain and hex digits upper-case);
* every other character except the unreserved ones (``A-Z a-z 0-9 - . _ ~``) and ``/`` is encoded
  as UTF-8 bytes.

The form is idempotent, so a path already in it is unchanged; ``.`` is unreserved, so ``..``
segments stay as they are (nothing on either side removes dot segments).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote_to_bytes

_TRIPLETS = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def encode_address(text: str) -> str:
    """The canonical percent-encoded form of an address's literal text.

    Example:
        >>> encode_address("/../ä ö/%7b")
        '/../%C3%A4%20%C3%B6/%7B'
    """
    parts: list[str] = []
    last = 0
    for run in _TRIPLETS.finditer(text):
        parts.append(quote(text[last : run.start()], safe="/"))
        parts.append(quote(unquote_to_bytes(run.group()), safe=""))
        last = run.end()
    parts.append(quote(text[last:], safe="/"))
    return "".join(parts)


def path_template_and_regex(address: str, placeholders: list[re.Match[str]]) -> tuple[str, str]:
    """The ``str.format`` template (``{0}`` per placeholder) and the regex of an address.

    Both hold the literal parts in canonical form; the regex matches a path in canonical form
    (the runtime canonicalises a received path before matching it). Encoding removes every brace
    from the literal parts, so the template needs no brace escaping.
    """
    template: list[str] = []
    regex: list[str] = []
    last = 0
    for index, match in enumerate(placeholders):
        literal = encode_address(address[last : match.start()])
        template += [literal, "{" + str(index) + "}"]
        regex += [re.escape(literal), f"(?P<p{index}>[^/]+)"]
        last = match.end()
    literal = encode_address(address[last:])
    template.append(literal)
    regex.append(re.escape(literal))
    return "".join(template), "".join(regex)
