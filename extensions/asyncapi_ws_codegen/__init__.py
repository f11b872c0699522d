"""AsyncAPI -> typed Python WebSocket package: the generator behind the copier template.

Pipeline: ``loader`` (bytes -> bundled dict) -> ``normalise`` (2.x/3.x -> one model, with
``schemas`` for payload types and ``naming`` for identifiers) -> ``ir`` (what templates read).
"""
