"""A message's own ``examples``: the payload the generated tests, the demo and the README send.

The document's examples say what a message looks like better than any synthesised value
(``"author": "ada"`` rather than ``"author": "example"``), so the first one that validates is used.
One the partial evaluator cannot judge (a format it does not know) is used when the synthesised
value could not be checked either; one it finds invalid is never used: real documents (Kraken's,
Slack's Socket Mode) carry examples their own schemas reject.
"""

from __future__ import annotations

from typing import Any

from ..examples.value_checks import Resolver, conforms


def document_payload_example(message: dict[str, Any], schema: Any, follow: Resolver) -> tuple[Any, bool] | None:
    """The first example payload of ``message`` that validates (and True), else one that may (False)."""
    examples = message.get("examples")
    maybe: tuple[Any, bool] | None = None
    for example in examples if isinstance(examples, list) else []:
        if not isinstance(example, dict) or "payload" not in example:
            continue
        verdict = conforms(example["payload"], schema, follow)
        if verdict is True:
            return example["payload"], True
        if verdict is None and maybe is None:
            maybe = (example["payload"], False)
    return maybe
