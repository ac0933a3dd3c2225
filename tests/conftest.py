"""Shared fixtures. Web layer fixtures (prefix `web_`): settings in a temporary data dir, the FastAPI app under
TestClient, real uvicorn servers in subprocesses, and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.settings import PROJECT_ROOT, get_settings

WEB_STAFF_TOKEN = "test-hotline-token"
WEB_ALLOWED_ORIGIN = "https://kommune.example"
WEB_CHROMIUM = Path("/usr/bin/chromium")
WEB_CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ASSISTANT_BIN = Path(sys.executable).parent / "assistant"


def web_free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_env_vars(data_dir: Path) -> dict[str, str]:
    return {
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_DATABASE_URL": f"sqlite:///{data_dir / 'assistant.db'}",
        "ASSISTANT_STAFF_TOKEN": WEB_STAFF_TOKEN,
        "ASSISTANT_CORS_ORIGINS": json.dumps([WEB_ALLOWED_ORIGIN]),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        # Generous for the suite's own traffic from one address; the limit itself is tested with its own app.
        "ASSISTANT_RATE_LIMIT": "1000/minute",
        "ASSISTANT_LOGIN_RATE_LIMIT": "1000/minute",
        "ASSISTANT_WORKERS": "0",  # TestClient answers in-process; `serve` below starts answering processes
    }


def web_run_cli(*args: str, data_dir: Path, env_extra: dict[str, str] | None = None,
                timeout: float = 300) -> subprocess.CompletedProcess:
    """Runs `assistant ARGS…` as a user would, with the web test settings and its own data dir."""
    env = {**os.environ, **web_env_vars(data_dir), **(env_extra or {})}
    return subprocess.run([str(ASSISTANT_BIN), *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def web_staff_login(client, token: str, **kwargs):
    """Logs in through the form as a browser would: fetch the page (its form token and cookie), then post."""
    import re

    page = client.get("/staff", **kwargs)
    field = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post("/staff/login", data={"token": token, "csrf": field}, follow_redirects=False, **kwargs)


@pytest.fixture(scope="session")
def web_staff_token() -> str:
    return WEB_STAFF_TOKEN


@pytest.fixture(scope="session")
def web_allowed_origin() -> str:
    return WEB_ALLOWED_ORIGIN


@pytest.fixture(scope="session")
def web_index() -> None:
    """The real index must exist and match the corpus (a no-op when it is up to date)."""
    result = subprocess.run([str(ASSISTANT_BIN), "build-index", "--if-stale"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"build-index failed:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="session")
def web_data_dir(tmp_path_factory) -> Path:
    # A directory that does not exist yet: the storage layer must create it.
    return tmp_path_factory.mktemp("web") / "data"


@pytest.fixture(scope="session")
def web_settings(web_index, web_data_dir):
    """Settings pointing at a temporary data dir. The env vars are set before get_settings() is (re)read;
    it is lru_cached, hence the cache_clear on the way in and out."""
    patch = pytest.MonkeyPatch()
    for name, value in web_env_vars(web_data_dir).items():
        patch.setenv(name, value)
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.data_dir == web_data_dir
    yield settings
    patch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def web_app(web_settings):
    from assistant.web import create_app

    return create_app()


@pytest.fixture(scope="session")
def web_client(web_app):
    from fastapi.testclient import TestClient

    # raise_server_exceptions=False: the client sees what a browser would (the JSON 500), not the trace.
    with TestClient(web_app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="session")
def web_db_path(web_client, web_data_dir) -> Path:
    return web_data_dir / "assistant.db"


class WebServer:
    def __init__(self, url: str, data_dir: Path, process: subprocess.Popen, log: Path) -> None:
        self.url, self.data_dir, self.process, self.log = url, data_dir, process, log

    @property
    def db_path(self) -> Path:
        return self.data_dir / "assistant.db"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def web_server_factory(web_index, tmp_path_factory):
    """Starts `assistant serve` on a free localhost port with its own data dir; waits for /readyz."""
    servers: list[WebServer] = []

    def start(timeout: float = 180.0, workers: int = 2, env_extra: dict[str, str] | None = None) -> WebServer:
        root = tmp_path_factory.mktemp("server")
        data_dir = root / "data"
        port = web_free_port()
        env = {**os.environ, **web_env_vars(data_dir), **(env_extra or {})}
        log = root / "server.log"
        with log.open("wb") as out:
            process = subprocess.Popen([str(ASSISTANT_BIN), "serve", "--host", "127.0.0.1", "--port", str(port),
                                        "--workers", str(workers)],
                                       cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        server = WebServer(f"http://127.0.0.1:{port}", data_dir, process, log)
        servers.append(server)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"server exited with {process.returncode}:\n{server.log_text()[-3000:]}")
            try:
                if httpx.get(f"{server.url}/readyz", timeout=2).status_code == 200:
                    return server
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        server.stop()
        pytest.fail(f"server not ready after {timeout} s:\n{server.log_text()[-3000:]}")

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def web_server(web_server_factory) -> WebServer:
    return web_server_factory()


@pytest.fixture(scope="session")
def web_browser():
    """Headless Debian Chromium via Playwright (never `playwright install`). Missing → fail on CI, skip locally."""
    def unavailable(reason: str):
        message = (f"{reason}. Install it with `apt-get install -y chromium` (Debian) and the Python package "
                   "`playwright`; the browser tests drive /usr/bin/chromium.")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    if not (WEB_CHROMIUM.exists() or shutil.which("chromium")):
        unavailable(f"Chromium not found at {WEB_CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("The Python package playwright is not installed")
    executable = str(WEB_CHROMIUM if WEB_CHROMIUM.exists() else shutil.which("chromium"))
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=WEB_CHROMIUM_ARGS)
    except Exception as exc:  # a broken install is as bad as a missing one
        playwright.stop()
        unavailable(f"Chromium at {executable} did not start: {exc}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def web_screenshot_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {path}")
    return path


@pytest.fixture
def web_page(web_browser):
    """A fresh browser context at phone width (390 px)."""
    context = web_browser.new_context(viewport={"width": 390, "height": 844}, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


# -- PostgreSQL: a throw-away server in a temporary directory ------------------------------------------


class WebPostgres:
    """A private PostgreSQL cluster on a free loopback port (run as the `postgres` user when we are root,
    since PostgreSQL refuses to run as root); `database()` hands out a fresh database per test."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir, self.root, self.port = bin_dir, root, web_free_port()
        self.data, self.log = root / "data", root / "postgres.log"
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self._count = 0

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "start")

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple]:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{self.port}/{database}", autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def database(self) -> str:
        self._count += 1
        name = f"tilskud_{self._count}"
        self.execute(f"CREATE DATABASE {name}")
        return name


@pytest.fixture(scope="session")
def web_postgres():
    import glob
    import tempfile

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        message = "PostgreSQL is not installed (`apt-get install -y postgresql`; `make test` does it)."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Outside pytest's own 0700 temp tree, so the postgres user can reach it.
    root = Path(tempfile.mkdtemp(prefix="tilskud-pg-"))
    server = WebPostgres(Path(found[-1]).parent, root)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    server.init()
    server.start()
    yield server
    try:
        server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
