"""The sandbox's attribute verdicts on the generator's objects, remembered per kind of access."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from asyncapi_ws_codegen.copier.attribute_checks import remember_attribute_checks
from copier._jinja_ext import SandboxedEnvironment
from jinja2 import Environment, StrictUndefined
from jinja2.exceptions import SecurityError
from pydantic import BaseModel


@dataclass(frozen=True)
class Node:
    name: str
    _secret: str = "hidden"

    def shout(self) -> str:
        return self.name.upper()


class Settings(BaseModel):
    name: str = "x"


class CountingSandbox(SandboxedEnvironment):
    asked: list[tuple[str, str]]

    def is_safe_attribute(self, obj: object, attr: str, value: object) -> bool:
        self.asked.append((type(obj).__name__, attr))
        return super().is_safe_attribute(obj, attr, value)


def sandbox(package: str) -> CountingSandbox:
    environment = CountingSandbox(undefined=StrictUndefined)  # as copier's: a refusal raises
    environment.asked = []
    remember_attribute_checks(environment, package)
    return environment


def test_the_sandbox_decides_once_per_class_and_attribute_of_the_generators_objects() -> None:
    environment = sandbox(__name__)  # this module's classes stand for the generator's
    template = environment.from_string("{% for n in nodes %}{{ n.name }}{{ n.shout() }} {% endfor %}")
    nodes = [Node("a"), Node("b"), Node("c")]
    assert template.render(nodes=nodes) == "aA bB cC "
    assert environment.asked == [("Node", "name"), ("Node", "shout")]
    assert template.render(nodes=nodes) == "aA bB cC "
    assert len(environment.asked) == 2


def test_refusals_stay_refusals() -> None:
    environment = sandbox(__name__)
    template = environment.from_string("{{ n._secret }}")
    for _ in range(2):
        with pytest.raises(SecurityError, match="_secret"):
            template.render(n=Node("a"))
    # A method's internals, reached through the generator's object, are still refused.
    with pytest.raises(SecurityError, match="__func__"):
        environment.from_string("{{ n.shout.__func__.__code__ }}").render(n=Node("a"))


def test_other_objects_are_checked_every_time() -> None:
    environment = sandbox(__name__)
    template = environment.from_string("{{ o.name }}{{ o.name }}")
    assert template.render(o=SimpleNamespace(name="x")) == "xx"
    assert environment.asked == [("SimpleNamespace", "name"), ("SimpleNamespace", "name")]
    # Copier's own refusals (pydantic's deprecated loaders) still hold.
    with pytest.raises(SecurityError, match="parse_raw"):
        environment.from_string("{{ m.parse_raw }}").render(m=Settings())


def test_a_plain_environment_is_left_alone() -> None:
    environment = Environment()
    remember_attribute_checks(environment, __name__)
    assert not hasattr(environment, "is_safe_attribute")
    assert environment.from_string("{{ n.name }}").render(n=Node("a")) == "a"
