"""Where the template came from, as a web page the generated README can link to.

Copier records the source it was given (``_src_path``): a ``gh:``/``gl:`` shorthand, a URL or a
local path. Only sources with a public web page get a link; a local clone, an SSH address or
anything else gets none, rather than a link that leads nowhere.
"""

from __future__ import annotations

import re

_SHORTHANDS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
# The characters a repository path may hold; anything else (spaces, quotes, brackets) could break
# out of the Markdown link, so such a source gets no link.
_SAFE_PATH = re.compile(r"[A-Za-z0-9._~/-]+")


def template_home(source: object) -> str:
    """The web address of the template repository named by ``source``; ``""`` when there is none."""
    text = str(source or "").strip()
    for prefix, site in _SHORTHANDS.items():
        if text.startswith(prefix):
            text = site + text[len(prefix) :]
            break
    for scheme in ("https://", "http://"):
        if text.startswith(scheme):
            rest = text[len(scheme) :].removesuffix("/").removesuffix(".git")
            host, _, path = rest.partition("/")
            if host and path and _SAFE_PATH.fullmatch(rest) and not host.startswith("-"):
                return scheme + rest
            return ""
    return ""
