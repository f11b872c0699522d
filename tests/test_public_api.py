"""The public API of the golden packages (names, kinds, signatures) is what tests/public_api/ records.

Moving code inside a generated package (its vendored runtime, for one) must not change what users
import and call. ``public_api.py`` describes a package; a difference fails with a diff. When an API
change is intended, rewrite the records with the goldens' option and review the diff:

    python -m pytest tests/test_public_api.py --update-goldens
"""

from __future__ import annotations

import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_golden import CASES

HERE = Path(__file__).resolve().parent
RECORDS = HERE / "public_api"
REGENERATE = "python -m pytest tests/test_public_api.py --update-goldens"


def api_of(project: Path) -> dict[str, object]:
    """The description ``public_api.py`` prints for the package generated in ``project``."""
    package = next(p.name for p in (project / "src").iterdir() if (p / "__init__.py").is_file())
    result = subprocess.run(
        [sys.executable, str(HERE / "public_api.py"), package],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    described: dict[str, object] = json.loads(result.stdout)
    return described


@pytest.mark.parametrize("name", sorted(CASES))
def test_public_api_is_unchanged(name: str, golden_projects: dict[str, Path], request: pytest.FixtureRequest) -> None:
    actual = api_of(golden_projects[name])
    record = RECORDS / f"{name}.json"
    text = json.dumps(actual, indent=1, sort_keys=True) + "\n"
    if request.config.getoption("--update-goldens"):
        record.parent.mkdir(exist_ok=True)
        record.write_text(text, "utf-8")
        return
    assert record.is_file(), f"tests/public_api/{name}.json is missing; create it with: {REGENERATE}"
    expected = record.read_text("utf-8")
    if expected != text:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), "recorded", "generated", lineterm="")
        pytest.fail(
            f"the public API of {name!r} changed:\n" + "\n".join(list(diff)[:80]) + f"\n\nIf intended: {REGENERATE}",
            pytrace=False,
        )


def test_the_description_sees_signatures_inherited_members_and_hierarchy(
    golden_projects: dict[str, Path],
) -> None:
    api = api_of(golden_projects["user-service"])
    payload = api[".payloads"]["UserSignedUp"]  # type: ignore[index]
    assert payload["kind"] == "class"
    assert "user_id" in payload["signature"] and "email" in payload["signature"]
    assert payload["members"]["unmarshal"]["kind"] == "classmethod"  # inherited from the model base
    assert payload["members"]["marshal"]["kind"] == "method"
    channels = api[".channels"]  # type: ignore[index]
    assert channels["publish_to_send_user_event"]["kind"] == "async function"
    assert "parameters" in channels["publish_to_send_user_event"]["signature"]
    errors = api[".errors"]  # type: ignore[index]
    assert errors["PayloadError"]["mro"][:2] == ["AsyncAPIError", "ValueError"]
