"""Small specs for the runtime tests, generated once per session and imported in-process."""

from __future__ import annotations

import contextlib
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from helpers import generate

# A chat service exercising what the runtime must handle: a parameter name with a dash and a
# pattern, an enum parameter, handshake query and headers from `bindings.ws`, two message types on
# one receive operation, request/reply correlated by a payload id, a reply matched by type only,
# message headers, binary frames, several channels on one address, servers with variables.
CHAT_SPEC = """\
asyncapi: 3.0.0
info:
  title: Runtime Chat
  version: 1.0.0
servers:
  production:
    host: chat.example.com
    pathname: /ws/{region}
    protocol: wss
    variables:
      region:
        enum: [eu, us]
        default: eu
  local:
    host: localhost:8080
    protocol: ws
channels:
  chat:
    address: chat/{user-id}
    parameters:
      user-id:
        description: Who is chatting.
    bindings:
      ws:
        query:
          type: object
          properties:
            limit:
              type: integer
              minimum: -50
              maximum: 50
            verbose:
              type: boolean
            topic:
              type: string
              pattern: '^[a-z0-9-]+$'
              maxLength: 20
        headers:
          type: object
          properties:
            X-Client:
              type: string
              enum: [web, cli]
    messages:
      say: {$ref: '#/components/messages/Say'}
      notice: {$ref: '#/components/messages/Notice'}
      ping: {$ref: '#/components/messages/Ping'}
      pong: {$ref: '#/components/messages/Pong'}
  rooms:
    address: /rooms/{kind}
    parameters:
      kind:
        enum: [public, private]
    messages:
      say: {$ref: '#/components/messages/Say'}
  echo:
    address: echo
    messages:
      question: {$ref: '#/components/messages/Question'}
      answer: {$ref: '#/components/messages/Answer'}
  blob:
    address: blob
    messages:
      chunk: {$ref: '#/components/messages/Chunk'}
  lobbyJoin:
    address: /
    messages:
      join: {$ref: '#/components/messages/Join'}
  lobbyLeave:
    address: /
    messages:
      leave: {$ref: '#/components/messages/Leave'}
operations:
  sendSay:
    action: send
    channel: {$ref: '#/channels/chat'}
    messages: [{$ref: '#/channels/chat/messages/say'}]
  receiveChat:
    action: receive
    channel: {$ref: '#/channels/chat'}
    messages:
      - {$ref: '#/channels/chat/messages/notice'}
      - {$ref: '#/channels/chat/messages/say'}
  ping:
    action: send
    channel: {$ref: '#/channels/chat'}
    messages: [{$ref: '#/channels/chat/messages/ping'}]
    reply:
      messages: [{$ref: '#/channels/chat/messages/pong'}]
  sayInRoom:
    action: send
    channel: {$ref: '#/channels/rooms'}
  ask:
    action: send
    channel: {$ref: '#/channels/echo'}
    messages: [{$ref: '#/channels/echo/messages/question'}]
    reply:
      messages: [{$ref: '#/channels/echo/messages/answer'}]
  sendChunk:
    action: send
    channel: {$ref: '#/channels/blob'}
  receiveChunk:
    action: receive
    channel: {$ref: '#/channels/blob'}
  sendJoin:
    action: send
    channel: {$ref: '#/channels/lobbyJoin'}
  sendLeave:
    action: send
    channel: {$ref: '#/channels/lobbyLeave'}
  join:
    action: receive
    channel: {$ref: '#/channels/lobbyJoin'}
  leave:
    action: receive
    channel: {$ref: '#/channels/lobbyLeave'}
components:
  messages:
    Say:
      headers:
        type: object
        properties:
          traceId: {type: string}
      payload:
        type: object
        required: [type, seq, text]
        properties:
          type: {type: string, const: say}
          seq: {type: integer, minimum: 0}
          text: {type: string}
    Notice:
      payload:
        type: object
        required: [type, text]
        properties:
          type: {type: string, const: notice}
          text: {type: string}
    Ping:
      correlationId: {location: '$message.payload#/reqid'}
      payload:
        type: object
        required: [type, reqid]
        properties:
          type: {type: string, const: ping}
          reqid: {type: integer}
          delay: {type: number}
    Pong:
      correlationId: {location: '$message.payload#/reqid'}
      payload:
        type: object
        required: [type]
        properties:
          type: {type: string, const: pong}
          reqid: {type: integer}
    Question:
      payload:
        type: object
        required: [q]
        properties:
          q: {type: string}
    Answer:
      payload:
        type: object
        required: [a]
        properties:
          a: {type: string}
    Chunk:
      contentType: application/octet-stream
      payload: {type: string, format: binary}
    Join:
      payload:
        type: object
        required: [event, who]
        properties:
          event: {type: string, const: join}
          who: {type: string}
    Leave:
      payload:
        type: object
        required: [event, who]
        properties:
          event: {type: string, const: leave}
          who: {type: string}
"""


def generate_package(template: Path, root: Path, spec: str, package: str, **data: Any) -> Path:
    """Generate a package for ``spec`` under ``root``; return the project directory."""
    root.mkdir(parents=True, exist_ok=True)
    spec_file = root / "spec.yaml"
    spec_file.write_text(spec, "utf-8")
    return generate(template, root / "project", spec_source=str(spec_file), package_name=package, **data)


def import_package(project: Path, package: str) -> ModuleType:
    """Import a generated package from its ``src`` folder (fresh, even if imported before)."""
    src = str(project / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]
    module = importlib.import_module(package)
    for sub in ("payloads", "parameters", "channels", "errors", "servers", "headers", "sync", "connections", "brokers"):
        with contextlib.suppress(ModuleNotFoundError):
            setattr(module, sub, importlib.import_module(f"{package}.{sub}"))
    return module


def port_of(server: Any) -> int:
    """The port a ``websockets`` server listens on."""
    return int(server.sockets[0].getsockname()[1])
