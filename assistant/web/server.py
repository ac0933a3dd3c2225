"""Running the app under uvicorn: refuse unsafe settings, a header-read timeout, one answering process per
CPU, and no access log with query strings."""

from __future__ import annotations

import ipaddress
import logging
import os

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.errors import AssistantError, IndexCorrupt
from assistant.integrity import verify_checksums, write_checksums
from assistant.settings import Settings
from assistant.web.answering import THREAD_VARIABLES
from assistant.web.service import DEFAULT_STAFF_TOKEN

logger = logging.getLogger(__name__)


class UnsafeConfiguration(AssistantError):
    """Settings that must not reach a network (the default staff token on a public interface)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_safe_to_serve(settings: Settings, host: str) -> None:
    token = settings.staff_token.get_secret_value()
    if not is_loopback(host) and token in ("", DEFAULT_STAFF_TOKEN):
        raise UnsafeConfiguration(
            f"Serveren starter ikke på {host}: ASSISTANT_STAFF_TOKEN er tom eller standardværdien. Sæt en hemmelig "
            "adgangsnøgle (fx `export ASSISTANT_STAFF_TOKEN=$(openssl rand -hex 24)`), eller brug --host 127.0.0.1. "
            f"/ Refusing to serve on {host} with an empty or default ASSISTANT_STAFF_TOKEN."
        )


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request head: a client that opens a connection (or
    finishes a response) and then trickles header bytes is disconnected after `header_timeout` seconds."""

    header_timeout = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = None
        self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timeout)

    def _cancel_head_timer(self) -> None:
        if getattr(self, "_head_timer", None) is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timeout(self) -> None:
        self._head_timer = None
        if self.conn.their_state in (h11.IDLE,) and not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the whole head has arrived
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)


def serve(settings: Settings, host: str, port: int, workers: int | None = None, repair_index: bool = False) -> None:
    """Checks, loads (index verified, answering processes started) and only then listens, so a bad setting or
    a corrupt index ends with a clear message and exit code 2 (from the CLI) instead of a traceback."""
    import uvicorn

    from assistant.web.app import create_app

    check_safe_to_serve(settings, host)
    workers = workers if workers is not None else (settings.workers or os.cpu_count() or 1)
    if workers > 0:
        # This process embeds too (the staff view's FAQ search): one thread, so it does not fight the workers.
        for name in THREAD_VARIABLES:
            os.environ.setdefault(name, "1")
    try:
        recorded = verify_checksums(settings.index_dir)
    except IndexCorrupt:
        if not repair_index:
            raise
        logger.warning("index corrupt; rebuilding it as asked (--repair-index)")
        rebuild_index(settings)
        recorded = True
    protocol = type("Protocol", (HeaderTimeoutProtocol,), {"header_timeout": settings.header_timeout_seconds})
    app = create_app(settings.model_copy(update={"workers": workers}))
    app.state.service.start()
    if not recorded:  # an index built before checksums existed: record them once it has loaded cleanly
        logger.warning("index %s had no checksums; recording them now", settings.index_dir)
        write_checksums(settings.index_dir)
    logger.info("serving on %s:%d with %d answering processes", host, port, workers)
    # server_header=False: no "server: uvicorn" on every response (the public service names no framework).
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=protocol,
        access_log=False,
        timeout_keep_alive=5,
        log_level="info",
        server_header=False,
    )


def rebuild_index(settings: Settings) -> None:
    from assistant.corpus import load_corpus
    from assistant.embedding import make_embedder
    from assistant.index import build_index

    build_index(load_corpus(settings.corpus_dir), settings, make_embedder(settings))
    write_checksums(settings.index_dir)
