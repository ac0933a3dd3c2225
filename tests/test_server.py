"""`assistant serve` for real: answering processes with one embedding thread each, header-read and body
timeouts on raw sockets, and a server log without query strings."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from tests.corpus_pools import PRIMARY

POOL = PRIMARY.id


@pytest.fixture(scope="module")
def strict_server(web_server_factory):
    env = {"ASSISTANT_HEADER_TIMEOUT_SECONDS": "1", "ASSISTANT_REQUEST_TIMEOUT_SECONDS": "3"}
    return web_server_factory(workers=2, env_extra=env)


def connect(server) -> socket.socket:
    url = urlparse(server.url)
    sock = socket.create_connection((url.hostname, url.port), timeout=10)
    return sock


def closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (TimeoutError, socket.timeout):
        return False
    except ConnectionResetError:
        return True


def children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def test_answering_processes_run_one_embedding_thread_each(strict_server):
    workers = []
    for pid in children(strict_server.process.pid):
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"spawn_main" in command:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"OMP_NUM_THREADS=1" in environ
            workers.append(pid)
    assert len(workers) == 3  # two for ordinary questions, one at low priority for long inputs
    # (Niceness relative to the server's own: a run started under `nice` starts every process lower.)
    base = int(Path(f"/proc/{strict_server.process.pid}/stat").read_text().split(")")[1].split()[16])
    assert sorted(int(Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[16]) for pid in workers) == [
        base,
        base,
        19,
    ]
    with httpx.Client(base_url=strict_server.url, timeout=60) as client:
        answer = client.post("/api/ask", json={"question": "Hvornår er ansøgningsfristen?", "pool": POOL})
        assert answer.status_code == 200 and "7. august 2025" in answer.json()["answer"]


def test_a_client_that_trickles_its_headers_is_disconnected(strict_server):
    sock = connect(strict_server)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # never finishes the head
    started = time.monotonic()
    assert closed_within(sock, 8)
    assert time.monotonic() - started < 8
    idle = connect(strict_server)  # connects and says nothing at all
    assert closed_within(idle, 8)


def test_a_body_that_never_arrives_gets_408(strict_server):
    sock = connect(strict_server)
    sock.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    sock.settimeout(15)
    reply = b""
    while b"request_timeout" not in reply:
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    assert reply.startswith(b"HTTP/1.1 408") and b"request_timeout" in reply


def test_server_log_has_no_query_strings(strict_server):
    with httpx.Client(base_url=strict_server.url, timeout=60) as client:
        client.get(PRIMARY.source_path, params={"quote": "hemmelig 010190-1234"})
    time.sleep(0.5)
    log = strict_server.log_text()
    assert "hemmelig" not in log and "010190" not in log and "quote=" not in log
