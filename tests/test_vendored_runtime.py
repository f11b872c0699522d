"""The vendored runtime, checked and tested once, here, as the package every generated one holds.

Generated packages carry ``template/src/{{ package_name }}/_runtime/`` unchanged (the golden tests
check that byte for byte), so its static checks run on the template's folder itself, in a host
package with a real name, under the lint and type settings the generated ``pyproject.toml`` sets.
"""

from __future__ import annotations

import ast
import pickle
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from helpers import REPO_ROOT, run
from vendored_runtime import HOST_PACKAGE, RUNTIME_SOURCE, host_package, import_runtime, runtime_module

GENERATED_PYPROJECT = REPO_ROOT / "template" / "pyproject.toml.jinja"
MAX_LINES = 400


def ruff_settings() -> str:
    """The ``[tool.ruff*]`` tables of the generated ``pyproject.toml``, as written there."""
    text = GENERATED_PYPROJECT.read_text("utf-8")
    tables = re.findall(r"^\[tool\.ruff[^\]]*\]\n(?:[^\[\n].*\n|\n)*", text, flags=re.MULTILINE)
    settings = "".join(tables)
    assert "line-length = 100" in settings and "{{" not in settings, settings
    return settings


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder whose ``src/`` holds the runtime's host package and the ruff settings."""
    root = tmp_path_factory.mktemp("vendored")
    host_package(root / "src")
    (root / "pyproject.toml").write_text(ruff_settings(), "utf-8")
    return root


@pytest.mark.slow
def test_runtime_is_mypy_strict_clean(host: Path) -> None:
    output = run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", HOST_PACKAGE],
        host,
        env={"MYPYPATH": str(host / "src"), "MYPY_CACHE_DIR": "/dev/null"},
    )
    assert "Success" in output


def test_runtime_is_ruff_clean_and_formatted_like_generated_code(host: Path) -> None:
    runtime = str(host / "src" / HOST_PACKAGE / "_runtime")
    run([sys.executable, "-m", "ruff", "check", "--no-cache", runtime], host)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "--line-length", "100", runtime], host)


def internal_imports(path: Path) -> set[str]:
    """The runtime modules a runtime module imports (``from .frames import ...`` -> ``frames``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_runtime_modules_are_small_and_import_each_other_without_cycles() -> None:
    modules = {path.stem: path for path in RUNTIME_SOURCE.glob("*.py") if path.stem != "__init__"}
    for name, path in modules.items():
        lines = len(path.read_text("utf-8").splitlines())
        assert lines < MAX_LINES, f"_runtime/{name}.py has {lines} lines"
    graph = {name: internal_imports(path) & modules.keys() for name, path in modules.items()}
    # Depth-first search: a module met again while still on the path closes a cycle.
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " -> ".join((*path, name))
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())
    # Requests wait on the client's reader through its methods; the reader never imports them.
    assert "client" in graph["requests"] and "requests" not in graph["client"]


def test_runtime_says_it_is_vendored_and_has_a_version() -> None:
    runtime = import_runtime()
    assert re.fullmatch(r"\d+\.\d+\.\d+", runtime.__version__)
    assert runtime.__doc__ is not None and "vendored" in runtime.__doc__
    for name in runtime.__all__:
        assert hasattr(runtime, name), name


@pytest.fixture(scope="module")
def pointer() -> ModuleType:
    return runtime_module("pointer")


@pytest.mark.parametrize(
    ("pointer_text", "expected"),
    [
        ("", {"a": [1, {"b/c": 2, "~d": 3}]}),
        ("/a", [1, {"b/c": 2, "~d": 3}]),
        ("/a/1/b~1c", 2),
        ("/a/1/~0d", 3),
        ("/a/0", 1),
        ("/a/2", None),
        ("/a/x", None),
        ("/missing/deeper", None),
        ("/a/0/b", None),
    ],
)
def test_one_pointer_walker_reads_objects_and_arrays(pointer: ModuleType, pointer_text: str, expected: object) -> None:
    document = {"a": [1, {"b/c": 2, "~d": 3}]}
    assert pointer.at_pointer(document, pointer_text) == expected
    assert pointer.get_pointer(document, pointer.pointer_tokens(pointer_text)) == expected


def test_pointer_sets_a_value_only_where_the_key_is_absent(pointer: ModuleType) -> None:
    data: dict[str, object] = {"meta": {"id": 1}, "list": []}
    pointer.set_pointer_if_absent(data, ("meta", "id"), 2)
    pointer.set_pointer_if_absent(data, ("meta", "trace"), "t")
    pointer.set_pointer_if_absent(data, ("nowhere", "id"), 3)
    pointer.set_pointer_if_absent(data, ("top",), 4)
    pointer.set_pointer_if_absent(data, (), 5)
    assert data == {"meta": {"id": 1, "trace": "t"}, "list": [], "top": 4}


def test_the_accept_check_and_the_frames_share_the_pointer_walker() -> None:
    walker = runtime_module("pointer")
    assert runtime_module("accept").at_pointer is walker.at_pointer
    assert runtime_module("validation").at_pointer is walker.at_pointer
    assert runtime_module("frames").get_pointer is walker.get_pointer


def test_public_errors_are_the_runtime_errors(chat: ModuleType) -> None:
    errors = __import__(f"{chat.__name__}.errors", fromlist=["PayloadError"])
    vendored = __import__(f"{chat.__name__}._runtime.errors", fromlist=["PayloadError"])
    for name in errors.__all__:
        assert getattr(errors, name) is getattr(vendored, name), name
        assert getattr(errors, name).__module__ == errors.__name__  # in tracebacks and pickles
    with pytest.raises(errors.PayloadDecodeError):
        chat.payloads.Say.unmarshal("{not json")


def test_runtime_errors_are_named_and_pickled_by_the_public_errors_module() -> None:
    vendored = runtime_module("errors")
    error = vendored.PayloadValidationError("too long", path="$.text", keyword="maxLength")
    assert f"{type(error).__module__}.{type(error).__qualname__}" == f"{HOST_PACKAGE}.errors.PayloadValidationError"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error) and (copy.path, copy.keyword, str(copy)) == (error.path, error.keyword, str(error))


class _Echo:
    """Stands in for a payload class: a kind's reader only asks it for its decoder."""

    @classmethod
    def _decoder(cls, validate: bool) -> object:
        return lambda data: data


def _subscription(subscriptions: ModuleType, frames: ModuleType, *events: str) -> object:
    kinds = [frames.Kind(_Echo, discriminator=[("event", event, True)]) for event in events] or [frames.Kind(_Echo)]
    return subscriptions.Subscription(None, kinds, True, None, None)


def test_subscription_index_offers_a_frame_to_the_subscriptions_its_fixed_value_names() -> None:
    frames, subscriptions = runtime_module("frames"), runtime_module("subscriptions")
    join = _subscription(subscriptions, frames, "join")
    leave_or_part = _subscription(subscriptions, frames, "leave", "part")
    anything = _subscription(subscriptions, frames)
    index = subscriptions.SubscriptionIndex([join, leave_or_part, anything])
    assert index.key == "event"
    assert index.candidates(frames.Frame('{"event":"join"}')) == [join, anything]
    assert index.candidates(frames.Frame('{"event":"part"}')) == [leave_or_part, anything]
    assert index.candidates(frames.Frame('{"event":"other"}')) == [anything]
    assert index.candidates(frames.Frame("[1]")) == [join, leave_or_part, anything]
    with pytest.raises(runtime_module("errors").PayloadDecodeError):
        index.candidates(frames.Frame("not json"))
    # One subscription: nothing to choose, so the frame is not even parsed.
    assert subscriptions.SubscriptionIndex([join]).candidates(frames.Frame("not json")) == [join]


def test_a_subscription_tells_its_owner_once_when_it_ends() -> None:
    frames, subscriptions = runtime_module("frames"), runtime_module("subscriptions")
    subscription = _subscription(subscriptions, frames, "join")
    removed: list[object] = []

    class Owner:
        def remove(self, ended: object) -> None:
            removed.append(ended)

    subscription.owner = Owner()
    subscription.unsubscribe()
    subscription.unsubscribe()
    assert removed == [subscription] and not subscription.active
