"""Downloading a document or a referenced file: public hosts only, within one deadline.

A document from a URL may name any URL in its ``$ref``s, and generation runs on a developer's
machine or in CI, inside networks a document's author should not reach: loopback services, the
private network, cloud metadata endpoints (169.254.169.254). So the host is resolved first and
*every* address it has must be public; the connection then goes to the checked address (a second
resolution could answer otherwise), and each redirect is checked the same way. Hosts or networks
listed in ``ASYNCAPI_WS_URL_ALLOW`` (``127.0.0.1,10.0.0.0/8,schemas.internal``) are allowed too.

The timeout (``ASYNCAPI_WS_HTTP_TIMEOUT`` seconds, 20 by default) bounds the whole download,
redirects included: a server that sends one byte every few seconds is cut off at the deadline, not
waited for byte by byte.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request

ALLOW_ENV = "ASYNCAPI_WS_URL_ALLOW"
TIMEOUT_ENV = "ASYNCAPI_WS_HTTP_TIMEOUT"
DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_Address = tuple[int, tuple[object, ...]]  # (family, sockaddr) as getaddrinfo gives them


class DownloadError(Exception):
    """A download that failed; ``refused`` when the target is not allowed, ``late`` on the deadline."""

    def __init__(self, reason: str, *, refused: bool = False, late: bool = False) -> None:
        super().__init__(reason)
        self.refused = refused
        self.late = late


def timeout_seconds() -> float:
    """The download deadline in seconds (``ASYNCAPI_WS_HTTP_TIMEOUT``, else 20)."""
    text = os.environ.get(TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise DownloadError(f"{TIMEOUT_ENV}={text!r} is not a positive number of seconds")
    return seconds


def _allowed() -> tuple[list[ipaddress.IPv4Network | ipaddress.IPv6Network], set[str]]:
    networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    hosts: set[str] = set()
    for item in os.environ.get(ALLOW_ENV, "").replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.lower().rstrip("."))
    return networks, hosts


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """What kind of non-public address ``address`` is, for the message; empty when it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_private:
        return "private"
    if not address.is_global or address.is_multicast:
        return "non-public"
    return ""


def checked_address(host: str, port: int) -> _Address:
    """The address to connect to for ``host``; refused unless every address it has is allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DownloadError(f"cannot resolve {host}: {exc}") from None
    networks, hosts = _allowed()
    if host.lower().rstrip(".") not in hosts:
        for _, _, _, _, sockaddr in found:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
            kind = _kind(address)
            if kind and not any(address in network for network in networks):
                raise DownloadError(f"{host} resolves to {address}, a {kind} address", refused=True)
    family, _, _, _, sockaddr = found[0]
    return family, tuple(sockaddr)


def fetch(url: str, limit: int) -> bytes:
    """The body at ``url`` (at most ``limit`` + 1 bytes: the caller refuses longer ones)."""
    deadline = time.monotonic() + timeout_seconds()
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DownloadError(f"redirected to {url}, which is not an http(s) URL", refused=True)
        status, location, body = _get(parts, deadline, limit)
        if status in _REDIRECTS and location:
            url = urllib.parse.urljoin(url, location)
            continue
        if status != 200:
            raise DownloadError(f"HTTP {status}")
        return body
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects")


def _late() -> DownloadError:
    return DownloadError(f"no complete answer within {timeout_seconds():g} s", late=True)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _late()
    return left


class _Pinned:
    """Connects to the checked address, whatever the host name would resolve to the next time."""

    def __init__(self, address: tuple[str, int]) -> None:
        self.address = address

    def __call__(self, _address: object, timeout: float, source: object = None) -> socket.socket:
        return socket.create_connection(self.address, timeout)


def _new(secure: bool, host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    if secure:
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _connection(
    parts: urllib.parse.SplitResult, timeout: float
) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
    """A connection for a GET of ``parts`` (through the environment's proxy, if any), its target
    and the headers the proxy needs."""
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    secure = parts.scheme == "https"
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    _, sockaddr = checked_address(host, port)
    proxy = None if urllib.request.proxy_bypass(host) else urllib.request.getproxies().get(parts.scheme)
    if not proxy:
        connection = _new(secure, host, port, timeout)
        connection._create_connection = _Pinned((str(sockaddr[0]), port))  # type: ignore[attr-defined]
        return connection, path, {}
    # The proxy is the environment's own choice; the target was checked above all the same.
    through = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    credentials = {}
    if through.username is not None:
        token = base64.b64encode(f"{through.username}:{through.password or ''}".encode()).decode()
        credentials["Proxy-Authorization"] = f"Basic {token}"
    if secure:
        connection = _new(True, through.hostname or "", through.port or 80, timeout)
        connection.set_tunnel(host, port, headers=credentials)
        return connection, path, {}
    connection = _new(False, through.hostname or "", through.port or 80, timeout)
    return connection, urllib.parse.urlunsplit(parts._replace(fragment="")), credentials


def _get(parts: urllib.parse.SplitResult, deadline: float, limit: int) -> tuple[int, str | None, bytes]:
    """One GET: status, ``Location`` header and body, all before ``deadline``."""
    connection, target, proxy_headers = _connection(parts, _remaining(deadline))
    cut = threading.Event()
    # The socket, once connected: http.client hands it over to the response and forgets it.
    sockets: list[socket.socket] = []

    def cut_off() -> None:  # the deadline: whatever the socket is waiting for ends now
        cut.set()
        for sock in [*sockets, connection.sock]:
            if sock is not None:
                with contextlib.suppress(OSError):  # not connected yet, or already closed
                    sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(_remaining(deadline), cut_off)
    watchdog.daemon = True
    watchdog.start()
    try:
        headers = {"Accept": "*/*", "Accept-Encoding": "identity", "User-Agent": "asyncapi-ws-template"}
        connection.request("GET", target, headers={**headers, **proxy_headers})
        sockets.append(connection.sock)
        if cut.is_set():  # the deadline passed while connecting
            raise _late()
        response = connection.getresponse()
        body = bytearray()
        while len(body) <= limit:
            sockets[0].settimeout(_remaining(deadline))
            chunk = response.read1(65536)
            if not chunk:
                break
            body += chunk
        if cut.is_set():
            raise _late()
        return response.status, response.getheader("Location"), bytes(body)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if cut.is_set() or isinstance(exc, TimeoutError):
            raise _late() from None
        raise DownloadError(str(exc) or type(exc).__name__) from None
    finally:
        watchdog.cancel()
        connection.close()
        for sock in sockets:
            sock.close()
