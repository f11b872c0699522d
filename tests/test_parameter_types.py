"""Typed 2.x channel parameters and percent-encoded addresses, in a generated package.

tests/specs/typed-parameters-2.6.yaml has integer, number and boolean parameters with bounds, a
string with length bounds and a pattern, an integer enum, an address with a space and a non-ASCII
sign and one with a ``..`` segment. The package is generated once and imported in-process; the
server tests run a real ``websockets`` server on 127.0.0.1, port 0.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from asyncapi_ws_codegen.normalise.channel_addresses import encode_address
from helpers import SPECS, generate
from runtime_support import import_package, port_of
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import InvalidStatus

TIMEOUT = 10.0
SHOP = "ShopCountPricesU20acPriceInStockParameters"
USERS = "UsersNameTierTierParameters"
LEGACY = "LegacyRatioParameters"


@pytest.fixture(scope="module")
def pkg(template_v1: Path, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    project = generate(
        template_v1,
        tmp_path_factory.mktemp("typed") / "svc",
        spec_source=str(SPECS / "typed-parameters-2.6.yaml"),
        package_name="typed_params",
    )
    return import_package(project, "typed_params")


def classes(pkg: ModuleType) -> tuple[Any, Any, Any]:
    return getattr(pkg.parameters, SHOP), getattr(pkg.parameters, USERS), getattr(pkg.parameters, LEGACY)


def test_attributes_have_the_schema_types(pkg: ModuleType) -> None:
    shop, users, legacy = classes(pkg)
    assert {f.name: f.type for f in dataclasses.fields(shop)} == {"count": "int", "price": "float", "in_stock": "bool"}
    # An enum of integers is a `Literal` of them (an enum of floats stays `float`: `Literal` cannot hold floats).
    assert {f.name: f.type for f in dataclasses.fields(users)} == {"name": "str", "tier": "Literal[1, 2, 3]"}
    assert {f.name: f.type for f in dataclasses.fields(legacy)} == {"ratio": "float"}


def test_paths_render_values_canonically_and_encode_literal_parts(pkg: ModuleType) -> None:
    shop, users, legacy = classes(pkg)
    assert shop(count=7, price=12.5, in_stock=True).get_channel_with_parameters() == (
        "shop/7/prices%20%E2%82%AC/12.5/true"
    )
    assert shop(count=100, price=2, in_stock=False).get_channel_with_parameters() == (
        "shop/100/prices%20%E2%82%AC/2/false"
    )
    assert shop(count=1, price=1e-07, in_stock=False).get_channel_with_parameters() == (
        "shop/1/prices%20%E2%82%AC/1e-07/false"
    )
    assert users(name="abc", tier=3).get_channel_with_parameters() == "users/abc/tier/3"
    assert legacy(ratio=0.25).get_channel_with_parameters() == "../legacy/0.25"


def test_paths_parse_into_typed_values_encoded_or_not(pkg: ModuleType) -> None:
    shop, users, legacy = classes(pkg)
    params = shop.create_from_channel("/shop/7/prices%20%E2%82%AC/12.5/true?x=1")
    assert (params.count, params.price, params.in_stock) == (7, 12.5, True)
    assert type(params.count) is int and type(params.price) is float and type(params.in_stock) is bool
    # The plain form, lower-case hex and a mix of both name the same path.
    assert shop.create_from_channel("shop/7/prices €/12.5/true") == params
    assert shop.create_from_channel("shop/7/prices%20%e2%82%ac/12.5/true") == params
    assert shop.create_from_channel("shop/7/prices €/12.5/false").in_stock is False
    assert shop.create_from_channel("shop/0010/prices €/2/true").count == 10
    assert shop.create_from_channel("shop/1/prices €/1e2/true").price == 100.0
    assert users.create_from_channel("/users/abc/tier/2") == users(name="abc", tier=2)
    assert legacy.create_from_channel("/../legacy/1").ratio == 1.0
    assert legacy.create_from_channel("/%2E%2E/legacy/0").ratio == 0.0
    for params in (shop(count=3, price=999.5, in_stock=False), users(name="zzzzzzzz", tier=1), legacy(ratio=0)):
        assert type(params).create_from_channel(params.get_channel_with_parameters()) == params


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("shop/abc/prices €/1/true", "parameter 'count' must be an integer, not 'abc'"),
        ("shop/1.5/prices €/1/true", "parameter 'count' must be an integer, not '1.5'"),
        ("shop/%2B1/prices €/1/true", "parameter 'count' must be an integer, not '+1'"),
        ("shop/0/prices €/1/true", "parameter 'count' must be >= 1, not 0"),
        ("shop/101/prices €/1/true", "parameter 'count' must be <= 100, not 101"),
        ("shop/1/prices €/cheap/true", "parameter 'price' must be a number, not 'cheap'"),
        ("shop/1/prices €/inf/true", "parameter 'price' must be a number, not 'inf'"),
        ("shop/1/prices €/nan/true", "parameter 'price' must be a number, not 'nan'"),
        ("shop/1/prices €/1e999/true", "parameter 'price' must be a number, not '1e999'"),
        ("shop/1/prices €/0/true", "parameter 'price' must be > 0, not 0.0"),
        ("shop/1/prices €/1000/true", "parameter 'price' must be < 1000, not 1000.0"),
        ("shop/1/prices €/5/True", "parameter 'inStock' must be true or false, not 'True'"),
        ("shop/1/prices €/5/1", "parameter 'inStock' must be true or false, not '1'"),
        ("users/ab/tier/2", "parameter 'name' must be at least 3 characters long: 'ab'"),
        ("users/abcdefghi/tier/2", "parameter 'name' must be at most 8 characters long: 'abcdefghi'"),
        # The pattern as Python runs it: `$` is `\Z`, so a final newline does not slip through.
        ("users/Abc/tier/2", "parameter 'name' does not match the pattern '^[a-z]+\\\\Z': 'Abc'"),
        ("users/abc%0A/tier/2", "parameter 'name' does not match the pattern '^[a-z]+\\\\Z': 'abc\\n'"),
        ("users/abc/tier/4", "parameter 'tier' must be one of [1, 2, 3], not 4"),
        ("users/abc/tier/two", "parameter 'tier' must be an integer, not 'two'"),
        ("../legacy/1.5", "parameter 'ratio' must be <= 1, not 1.5"),
        ("../legacy/-0.5", "parameter 'ratio' must be >= 0, not -0.5"),
    ],
)
def test_paths_with_bad_values_are_refused_with_a_clear_message(pkg: ModuleType, path: str, message: str) -> None:
    cls = {"shop": SHOP, "users": USERS, "..": LEGACY}[path.split("/")[0]]
    with pytest.raises(pkg.errors.ParameterError) as caught:
        getattr(pkg.parameters, cls).create_from_channel(path)
    assert str(caught.value) == message


def test_constructor_checks_types_and_bounds(pkg: ModuleType) -> None:
    shop, users, legacy = classes(pkg)
    error = pkg.errors.ParameterError
    for kwargs, message in [
        ({"count": "5", "price": 1.0, "in_stock": True}, "parameter 'count' must be an integer, not '5'"),
        ({"count": True, "price": 1.0, "in_stock": True}, "parameter 'count' must be an integer, not True"),
        ({"count": 5, "price": "1", "in_stock": True}, "parameter 'price' must be a finite number, not '1'"),
        ({"count": 5, "price": float("nan"), "in_stock": True}, "parameter 'price' must be a finite number, not nan"),
        ({"count": 5, "price": 1.0, "in_stock": 1}, "parameter 'inStock' must be a boolean, not 1"),
        ({"count": 5, "price": 1000, "in_stock": True}, "parameter 'price' must be < 1000, not 1000"),
    ]:
        with pytest.raises(error) as caught:
            shop(**kwargs)
        assert str(caught.value) == message
    with pytest.raises(error, match="must be a string, not 3"):
        users(name=3, tier=1)
    with pytest.raises(error, match=r"must be one of \[1, 2, 3\], not 0"):
        users(name="abc", tier=0)
    with pytest.raises(error, match="must be < 1000, not 1000000"):
        shop(count=5, price=10**400, in_stock=True)  # an int too big for a float is still compared
    assert shop(count=1, price=0.001, in_stock=False).count == 1
    assert legacy(ratio=1).ratio == 1


def test_runtime_and_generator_encode_addresses_alike(pkg: ModuleType) -> None:
    runtime = sys.modules["typed_params._runtime.paths"]
    for text in ["/../{x}/ä ö/", "a%2fb%41%e2%82%ac", "50%off", "\"'\\ {{ 7*7 }}", "~._-/", "%", "%zz%2", "é%C3%A9"]:
        assert runtime.encode_address(text) == encode_address(text)
        assert runtime.encode_address(encode_address(text)) == encode_address(text)  # idempotent


async def test_server_refuses_bad_values_with_400_and_accepts_good_ones(pkg: ModuleType) -> None:
    channels, parameters, payloads, servers = pkg.channels, pkg.parameters, pkg.payloads, pkg.servers
    seen: list[tuple[Any, str]] = []
    orders: asyncio.Queue[Any] = asyncio.Queue()

    def on_connection(*, parameters: Any, ws: Any, request: Any) -> None:
        seen.append((parameters, request.path))

    async def on_order(*, message: Any, ws: Any, parameters: Any) -> None:
        await orders.put((message, parameters))

    router = channels.Router()
    channels.register_send_order(router=router, on_connection=on_connection, on_message=on_order)
    channels.register_send_legacy(router=router, on_connection=on_connection)
    async with serve(router, "127.0.0.1", 0, process_request=router.process_request) as server:
        base = f"ws://127.0.0.1:{port_of(server)}"
        for path, status, reason in [
            ("/shop/abc/prices%20%E2%82%AC/1/true", 400, b"must be an integer, not 'abc'"),
            ("/shop/0/prices%20%E2%82%AC/1/true", 400, b"must be >= 1, not 0"),
            ("/shop/1/prices%20%E2%82%AC/0/true", 400, b"must be > 0, not 0.0"),
            ("/shop/1/prices%20%E2%82%AC/5/yes", 400, b"must be true or false, not 'yes'"),
            ("/../legacy/2", 400, b"must be <= 1, not 2.0"),
            ("/shop/1/prices%20%E2%82%AC/5", 404, b"No channel"),
            ("/shop/1/prices/5/true", 404, b"No channel"),
            ("/legacy/0.5", 404, b"No channel"),  # the `..` segment is part of the address
        ]:
            with pytest.raises(InvalidStatus) as caught:
                async with connect(base + path):
                    pass
            assert caught.value.response.status_code == status, path
            assert reason in caught.value.response.body, path
        assert seen == []

        params = parameters.ShopCountPricesU20acPriceInStockParameters(count=7, price=12.5, in_stock=True)
        async with connect(servers.channel_url(base, parameters=params)) as ws:
            await channels.publish_to_send_order(message=payloads.Order(item="tea"), ws=ws, parameters=params)
            message, received = await asyncio.wait_for(orders.get(), TIMEOUT)
        assert message == payloads.Order(item="tea")
        assert received == params and type(received.count) is int and received.in_stock is True
        # A non-ASCII URL: websockets encodes it (its way) before sending; it names the same path,
        # and publishing with the parameters it was opened for is allowed.
        other = parameters.ShopCountPricesU20acPriceInStockParameters(count=8, price=0.5, in_stock=False)
        async with connect(f"{base}/shop/8/prices €/0.5/false") as ws:
            await channels.publish_to_send_order(message=payloads.Order(item="jam"), ws=ws, parameters=other)
            message, received = await asyncio.wait_for(orders.get(), TIMEOUT)
        assert (message.item, received.count, received.price, received.in_stock) == ("jam", 8, 0.5, False)
        # The `..` segment reaches the server as sent, plain or encoded.
        for path in ("/../legacy/0.5", "/%2e%2e/legacy/0.5"):
            async with connect(base + path):
                pass
    assert [path for _, path in seen] == [
        "/shop/7/prices%20%E2%82%AC/12.5/true",
        "/shop/8/prices%20%E2%82%AC/0.5/false",
        "/../legacy/0.5",
        "/%2e%2e/legacy/0.5",
    ]
    assert seen[2][0] == seen[3][0] == parameters.LegacyRatioParameters(ratio=0.5)
