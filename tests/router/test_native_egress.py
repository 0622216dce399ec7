"""Zero egress seen from the kernel's side: every ``connect`` (and addressed ``sendto``/``sendmsg``) of the real
``ambientnote`` process and its children, traced with strace, goes to loopback or a Unix socket.

Why beside test_egress.py: that test watches Python's ``socket`` module, which is what the app's guard patches.
Native code (CTranslate2, onnxruntime, llama.cpp, a C library's resolver or telemetry) opens sockets without it;
only the system calls show those. The first test proves the trace sees a connect the Python guard cannot.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

STRACE = shutil.which("strace")


def _can_trace() -> bool:
    """strace runs here (a container may deny ptrace even where strace is installed)."""
    if STRACE is None:
        return False
    probe = subprocess.run([STRACE, "-f", "-qq", "-o", os.devnull, sys.executable, "-c", "pass"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _can_trace(), reason="strace is not installed or may not trace here "
                                                          "(packaging/dev-setup installs it)")

_CALL = re.compile(r"\b(connect|sendto|sendmsg)\(")
_FAMILY = re.compile(r"sa_family=(AF_\w+)")
_IPV4 = re.compile(r'inet_addr\("([^"]+)"\)')
_IPV6 = re.compile(r'inet_pton\(AF_INET6, "([^"]+)"')
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_UNSPEC", "AF_NETLINK"}  # never leave the machine


def traced(args: list[str], trace: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    """Run ``args`` (and every process it starts) under strace, writing its socket calls to ``trace``."""
    assert STRACE is not None
    command = [STRACE, "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-e", "signal=none", "-o", str(trace),
               *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout)


def destinations(trace: Path) -> list[tuple[str, str, int | None]]:
    """(family, host, port) of every addressed socket call in the trace; host is a path for Unix sockets."""
    found = []
    for line in trace.read_text(encoding="utf-8", errors="replace").splitlines():
        if not _CALL.search(line) or not (family := _FAMILY.search(line)):
            continue
        host = _IPV4.search(line) or _IPV6.search(line)
        port = _PORT.search(line)
        found.append((family.group(1), host.group(1) if host else "", int(port.group(1)) if port else None))
    return found


def off_machine(found: list[tuple[str, str, int | None]]) -> list[tuple[str, str, int | None]]:
    """The destinations that are neither loopback nor a local socket family."""
    bad = []
    for family, host, port in found:
        if family in LOCAL_FAMILIES:
            continue
        if family in ("AF_INET", "AF_INET6") and host:
            address = ipaddress.ip_address(host.split("%")[0])
            mapped = getattr(address, "ipv4_mapped", None)
            if address.is_loopback or (mapped is not None and mapped.is_loopback):
                continue
        bad.append((family, host, port))
    return bad


NATIVE_CONNECT = """
import ctypes, ctypes.util, socket, struct
from ambientnote import egress
from ambientnote.config import load_settings
egress.install_for_site(load_settings())  # the Python guard is on, as in the app
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
fd = libc.socket(socket.AF_INET, socket.SOCK_DGRAM, 0)  # UDP: connect sends no packet
address = struct.pack("=H", socket.AF_INET) + struct.pack("!H4s8x", 9, socket.inet_aton("198.51.100.20"))
libc.connect(fd, address, len(address))
print("native connect not stopped by the Python guard")
"""


def test_the_trace_sees_a_native_connect_that_the_python_guard_cannot(tmp_path):
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    result = traced([sys.executable, "-c", NATIVE_CONNECT], trace, env, timeout=120)
    assert result.returncode == 0 and "not stopped" in result.stdout, result.stderr
    assert off_machine(destinations(trace)) == [("AF_INET", "198.51.100.20", 9)]


def test_transcribe_draft_route_and_save_connect_only_to_loopback(tmp_path, site_policy, onprem_server, created,
                                                                   short_sample):
    """The whole visit in one real process: audio → transcript (faster-whisper, its VAD) → draft → the on-prem
    server on loopback → saved in the store, audited. Every socket call of it, and of any child, stays local."""
    from support.store import CLIN_PW

    site_policy(onprem_max_tokens=24)  # a short answer: this test is about sockets, not note quality
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "AMBIENTNOTE_USER": "dr_b",
           "AMBIENTNOTE_PASSWORD": CLIN_PW}
    result = traced([sys.executable, "-m", "ambientnote", "draft", str(short_sample), "--route", "onprem", "--save",
                     "--quiet"], trace, env, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    store = created[0].store.conn  # the visit reached the store, and its escalation the audit log
    assert store.execute("SELECT count(*) FROM encounters").fetchone()[0] == 1
    assert store.execute("SELECT count(*) FROM audit_event WHERE subtype = 'onprem-escalation'").fetchone()[0] == 1
    found = destinations(trace)
    print(f"{len(found)} addressed socket calls:", sorted({(f, h) for f, h, _ in found}))
    server_port = int(onprem_server.rsplit(":", 1)[1].split("/")[0])
    assert ("AF_INET", "127.0.0.1", server_port) in found, found  # the trace saw the on-prem request itself
    assert off_machine(found) == [], off_machine(found)
