"""The sandbox's attribute verdicts on the generator's own objects, decided once per kind of access.

Copier renders in Jinja's sandbox, which asks ``is_safe_attribute`` at every ``{{ x.name }}``: a
chain of ``isinstance`` tests (copier's, then Jinja's) that depends on the object's type and the
attribute's name, not on the object. The templates read the model's attributes about 290,000 times
for a 500-channel spec, once per render, and an update renders three times: the checks were a
seventh of a copy and a quarter of an update (profiled). For objects of classes defined by the
generator the verdict is kept per (class, attribute name, class of the value) after the sandbox's
own first answer, so every policy the sandbox applies still decides, once. Every other object is
checked by the sandbox each time, as before.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

# Every copy of the generator is imported under a name that starts so (see extensions/context.py);
# the model a render uses may have been built by another clone's copy (clone_memo.py).
GENERATOR_MODULES = "asyncapi_ws_codegen"


def remember_attribute_checks(environment: Environment, package: str = GENERATOR_MODULES) -> None:
    """Make ``environment`` ask its sandbox once per kind of attribute read on objects of classes
    whose module name starts with ``package``."""
    ask = getattr(environment, "is_safe_attribute", None)
    if ask is None:  # not a sandbox: nothing is checked
        return
    verdicts: dict[tuple[type, str, type], bool] = {}
    foreign: set[type] = set()

    def is_safe_attribute(obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        if kind in foreign:
            return ask(obj, attr, value)  # type: ignore[no-any-return]
        key = (kind, attr, type(value))
        verdict = verdicts.get(key)
        if verdict is not None:
            return verdict
        if not kind.__module__.startswith(package):
            foreign.add(kind)
            return ask(obj, attr, value)  # type: ignore[no-any-return]
        verdict = verdicts[key] = bool(ask(obj, attr, value))
        return verdict

    environment.is_safe_attribute = is_safe_attribute  # type: ignore[attr-defined]
