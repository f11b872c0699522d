"""The ``format`` checks of generated packages, for vetting the document's own examples.

Generated packages check ``date``, ``date-time``, ``time``, ``uuid`` and ``ipv4`` with the rules below
(docs/payloads.md, "Formats"); the generator cannot import the package's runtime (it needs
``jsonschema``), so the rules are written again here and a test keeps the two verdicts identical.
A format not listed is unknown here: :func:`format_verdict` answers ``None`` for it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))", re.ASCII)
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}", re.ASCII)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}", re.ASCII)


def _date(value: str) -> bool:
    found = _DATE.fullmatch(value)
    if found is None:
        return False
    try:
        datetime.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return False
    return True


def _time(value: str) -> bool:
    found = _TIME.fullmatch(value)
    if found is None or int(found[1]) > 23 or int(found[2]) > 59 or int(found[3]) > 60:
        return False
    return found[6] is None or (int(found[6]) <= 23 and int(found[7]) <= 59)


def _date_time(value: str) -> bool:
    return len(value) > 10 and value[10] in "Tt" and _date(value[:10]) and _time(value[11:])


def _uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None


def _ipv4(value: str) -> bool:
    return _IPV4.fullmatch(value) is not None


_CHECKS: dict[str, Callable[[str], bool]] = {
    "date": _date,
    "time": _time,
    "date-time": _date_time,
    "uuid": _uuid,
    "ipv4": _ipv4,
}


def format_verdict(fmt: str, value: str) -> bool | None:
    """Whether ``value`` passes the package's check of ``fmt``; ``None`` for a format not known here."""
    check = _CHECKS.get(fmt)
    return None if check is None else check(value)
