"""The process's own network guard: no socket connects anywhere but loopback and the allowlisted endpoint.

Policy checks stop the router from choosing a bad destination; this guard stops
everything else (a library phoning home, a proxy variable, a future bug). It
wraps ``socket.socket.connect`` / ``connect_ex`` once per process and refuses,
before any packet leaves, an internet address that is not one of the
addresses the vetted on-prem endpoint resolved to. Unix sockets (D-Bus for the
keyring, X11) are local and pass.

It sits below every package (beside ``offline``), with the host rule it applies (``is_private_host``,
``host_allowed``): the router vets its endpoint by that rule, and the audit lets its repository through
the guard, so neither has to import the other.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ambientnote.errors import ConfigError

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

    from ambientnote.config import Settings

    # what socket.connect takes: (host, port[, ...]) for IP, a path for AF_UNIX
    Address = tuple[Any, ...] | str | ReadableBuffer

_lock = threading.Lock()
_allowed: set[str] = set()
_observers: list[Callable[[str], None]] = []


class EgressBlocked(PermissionError, ConfigError):
    """A connection the site's network rule does not allow (raised before anything is sent).

    A ``PermissionError`` for network code (httpx reports it as a failed connect) and a ``ConfigError``
    for the CLI and the app, which show its one sentence.
    """


def _host_of(address: Address) -> str | None:
    if isinstance(address, tuple) and address:
        return str(address[0])
    return None  # AF_UNIX paths and the like


def allowed(host: str) -> bool:
    """Loopback, or an address (or name) the on-prem endpoint was allowed under."""
    name = host.strip("[]").lower()
    if name in _allowed or name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock: socket.SocketType, address: Address) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = _host_of(address)
    if host is None:
        return
    for observer in list(_observers):
        observer(host)
    if not allowed(host):
        raise EgressBlocked(f"AmbientNote blocked a connection to {host}: only this computer and the site "
                            "policy's on-prem endpoint may be reached.")


def install() -> None:
    """Wrap ``socket.socket.connect`` / ``connect_ex``; from then on only loopback and ``allow()``-ed hosts pass.

    Idempotent, and it re-wraps when something (a test plugin) has put another ``connect`` in place.
    """
    with _lock:
        if is_installed():
            return
        original_connect, original_connect_ex = socket.socket.connect, socket.socket.connect_ex

        def connect(self: socket.SocketType, address: Address) -> None:
            _check(self, address)
            return original_connect(self, address)

        def connect_ex(self: socket.SocketType, address: Address) -> int:
            _check(self, address)
            return original_connect_ex(self, address)

        connect._ambientnote_guard = connect_ex._ambientnote_guard = True  # type: ignore[attr-defined]
        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]


def watch(observer: Callable[[str], None]) -> Callable[[], None]:
    """Call ``observer(host)`` for every connection attempt the guard sees; returns the function that stops it."""
    _observers.append(observer)
    return lambda: _observers.remove(observer)


def allow(host: str, port: int | None = None) -> None:
    """Let connections reach ``host`` (already vetted by the site policy) and the addresses it resolves to."""
    name = host.strip("[]").lower()
    addresses = {name}
    try:
        for info in socket.getaddrinfo(name, port, proto=socket.IPPROTO_TCP):
            addresses.add(str(info[4][0]).lower())
    except OSError:
        pass  # unresolvable now: the client's connect fails and says the server cannot be reached
    with _lock:
        _allowed.update(addresses)


def is_private_host(host: str) -> bool:
    """Loopback or private (RFC 1918, ULA, link-local) address, or ``localhost``."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local


def host_allowed(host: str, cfg: Settings) -> bool:
    listed = {h.lower().rstrip(".") for h in cfg.onprem_hosts}
    return is_private_host(host) or host.lower().rstrip(".") in listed


def install_for_site(cfg: Settings) -> list[str]:
    """Guard this process at start-up (CLI, desktop app, drafting child): loopback plus the policy's endpoint.

    Returns the hosts allowed besides loopback. Names are allowed as written, without a DNS lookup at
    start-up; the router allows the addresses they resolve to just before it connects.
    """
    install()
    hosts: list[str] = []
    if cfg.routing_allowed and cfg.onprem_url:
        host = urlsplit(cfg.onprem_url.strip()).hostname
        if host and host_allowed(host, cfg):  # a refused endpoint stays blocked here too
            hosts.append(host.strip("[]").lower())
    with _lock:
        _allowed.update(hosts)
    return hosts


def reset() -> None:
    """Forget every allowed host (tests)."""
    with _lock:
        _allowed.clear()


def is_installed() -> bool:
    return bool(getattr(socket.socket.connect, "_ambientnote_guard", False)
                and getattr(socket.socket.connect_ex, "_ambientnote_guard", False))
