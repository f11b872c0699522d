"""Small documents at the edges of the spec: each generates a package that passes its own checks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import SPECS, check_package, generate, run


@pytest.mark.slow
def test_message_without_payload_carries_any_json(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SPECS / "no-payload.yaml"))
    check_package(project)
    code = (
        "from heartbeat.payloads import Ping\n"
        "import json\n"
        "for value in ({'any': [1, 2]}, 'text', 3, None):\n"
        "    print(json.dumps(Ping.unmarshal(json.dumps(value)).to_json_data()))\n"
    )
    output = run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")})
    assert [json.loads(line) for line in output.splitlines()] == [{"any": [1, 2]}, "text", 3, None]


@pytest.mark.slow
def test_document_without_operations_generates_models_and_a_router(template_v1: Path, tmp_path: Path) -> None:
    project = generate(template_v1, tmp_path / "svc", spec_source=str(SPECS / "no-operations.yaml"))
    check_package(project)
    channels = (project / "src" / "models_only" / "channels.py").read_text("utf-8")
    assert "def publish_to_" not in channels
    assert '"Router",' in channels
    code = 'from models_only.payloads import Item\nprint(Item.unmarshal(\'{"title": "t"}\').title)\n'
    assert run([sys.executable, "-c", code], project, env={"PYTHONPATH": str(project / "src")}).strip() == "t"
