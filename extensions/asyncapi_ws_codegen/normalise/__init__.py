"""The normalise stage: AsyncAPI 2.x and 3.x -> one :class:`~..ir.Api`.

2.x ``subscribe`` maps to 3.x ``send``, ``publish`` to ``receive``; messages, channels, operations,
parameters, handshake bindings and servers become IR records, payload schemas go through ``schema``.
"""
