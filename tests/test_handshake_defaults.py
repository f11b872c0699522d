"""Handshake query parameters and headers carry only what differs from the spec's defaults.

A URL built with ``channel_url``/``server_url`` and the headers of ``additional_headers()`` leave
out a field left at its default, and the server, over a real socket, reads the absent field as
that default.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from runtime_support import generate_package, import_package, port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

SPEC = """\
asyncapi: 3.0.0
info:
  title: Quotes
  version: 1.0.0
servers:
  production:
    host: quotes.example.com
    protocol: wss
channels:
  prices:
    address: prices
    bindings:
      ws:
        query:
          type: object
          properties:
            depth: {type: integer, default: 10}
            ratio: {type: number, default: 1.5}
            compact: {type: boolean, default: false}
            currency: {type: string, enum: [EUR, USD], default: EUR}
        headers:
          type: object
          properties:
            X-Mode: {type: string, enum: [fast, full], default: fast}
    messages:
      price:
        payload: {type: object, properties: {price: {type: number}}}
operations:
  receivePrice:
    action: receive
    channel: {$ref: '#/channels/prices'}
"""


@pytest.fixture(scope="module")
def quotes(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    project = generate_package(template_v1, tmp_path_factory.mktemp("quotes"), SPEC, "hs_quotes")
    return import_package(project, "hs_quotes")


def test_only_values_that_differ_from_the_defaults_are_written(quotes: ModuleType) -> None:
    query, servers = quotes.servers.PricesQuery, quotes.servers
    assert query().to_strings() == {}
    assert query(depth=10, ratio=1.5, compact=False, currency="EUR").to_strings() == {}
    assert query(depth=50, compact=True).to_strings() == {"depth": "50", "compact": "true"}
    # Equal but of another type is the caller's explicit choice, kept.
    assert query(ratio=2.0, currency="USD").to_strings() == {"ratio": "2.0", "currency": "USD"}
    assert servers.server_url("production", channel="prices", query=query()) == "wss://quotes.example.com/prices"
    url = servers.channel_url("ws://h", channel="prices", query=query(depth=10, currency="USD"))
    assert url == "ws://h/prices?currency=USD"
    headers = quotes.headers.PricesHeaders
    assert headers().additional_headers() == []
    assert headers(x_mode="full").additional_headers() == [("X-Mode", "full")]


async def test_the_server_reads_a_field_left_out_as_its_default(quotes: ModuleType) -> None:
    seen: list[Any] = []

    def on_connection(*, parameters: Any, ws: Any, request: Any, query: Any = None, headers: Any = None) -> None:
        seen.append((query, headers))

    router = quotes.channels.Router()
    quotes.channels.register_receive_price(router=router, on_connection=on_connection)
    sent = quotes.servers.PricesQuery(compact=True)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        url = quotes.servers.channel_url(f"ws://127.0.0.1:{port_of(server)}", channel="prices", query=sent)
        assert url.endswith("/prices?compact=true")
        async with connect(url, additional_headers=quotes.headers.PricesHeaders().additional_headers()) as ws:
            await ws.ping()
    assert seen == [(sent, quotes.headers.PricesHeaders())]
    assert seen[0][0].depth == 10 and seen[0][0].currency == "EUR" and seen[0][1].x_mode == "fast"
