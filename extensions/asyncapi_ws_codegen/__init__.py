"""AsyncAPI -> typed Python WebSocket package: the generator behind the copier template.

The sub-packages are the pipeline's stages, in the order data flows through them:

``load`` (bytes -> one bundled document, lines kept) -> ``check`` (the shapes the generator reads)
-> ``normalise`` (2.x/3.x -> one model, using ``schema`` for payload types) -> ``ir`` (the frozen
records templates read) -> ``render`` (layout and filters for the templates) -> ``copier`` (the
ContextHook, the copy task, the update migration).

``pytext`` (identifiers, literals and escaping of generated Python) and ``errors`` sit below them
all; ``examples`` (example values of schemas) serves ``schema`` and ``normalise``.

Imports go one way, to the same stage or an earlier one in this order: pytext, load, check, ir,
examples, schema, normalise, render, copier. The IR records rank before ``schema`` and
``normalise``, which import them to fill them (``tests/unit/test_layout.py`` checks it all).
"""
