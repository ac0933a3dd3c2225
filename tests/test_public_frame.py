"""The public service names no framework (HTML, head, icon, assets, headers; gradio is not mounted), its contact
lines come from the settings (no phone line unless one is set), and gradio lives on as a console on loopback
only. Real servers over HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import time
from urllib.parse import urljoin

import httpx

from tests.conftest import ASSISTANT_BIN, PROJECT_ROOT, web_env_vars, web_free_port, web_run_cli
from tests.corpus_pools import PRIMARY

FRAMEWORKS = re.compile(r"gradio|fastapi|starlette|uvicorn|svelte|hugging ?face|swagger", re.I)
PUBLIC_PAGES = [
    "/",
    "/tilgaengelighed",
    "/demo",
    f"/sources/{PRIMARY.doc_id}/{PRIMARY.deadline.section}",
    "/findes-ikke",
    "/staff",
]
GUIDELINE_EMAIL = "tilskudsforvaltning@sbst.dk"


def footer(html: str) -> str:
    return html[html.index("<footer") :]


def test_no_public_page_names_a_framework(web_server):
    assets: set[str] = set()
    for path in PUBLIC_PAGES:
        response = httpx.get(web_server.url + path, timeout=30)
        assert response.status_code in (200, 401, 404), path  # the staff login answers 401
        html = response.text
        assert not FRAMEWORKS.search(html), (path, FRAMEWORKS.search(html).group(0))
        assert not re.search(r"<meta[^>]+(?:property|name)=\"(?:og|twitter):", html), path
        assert "server" not in response.headers, response.headers.get("server")
        for ref in re.findall(r"<(?:script|link)[^>]+(?:src|href)=\"([^\"]+)\"", html):
            assert not ref.startswith(("http:", "https:", "//")), (path, ref)  # nothing from elsewhere
            assets.add(urljoin(web_server.url + path, ref))
    icons = {a for a in assets if "favicon" in a}
    assert icons and any(a.endswith("/ui/widget.js") or a.endswith("/widget.js") for a in assets)
    for url in [*assets, web_server.url + "/favicon.ico"]:
        response = httpx.get(url, timeout=30)
        assert response.status_code == 200, url
        assert not FRAMEWORKS.search(response.text), (url, FRAMEWORKS.search(response.text).group(0))
    for url in [*icons, web_server.url + "/favicon.ico"]:
        icon = httpx.get(url, timeout=30)
        assert icon.headers["content-type"].startswith("image/svg+xml") and "#0b5cad" in icon.text


def test_gradio_is_not_mounted_on_the_public_app(web_server):
    for path in ["/gradio", "/gradio/", "/gradio/config", "/gradio_api/info", "/config", "/theme.css"]:
        assert httpx.get(web_server.url + path, timeout=30).status_code == 404, path
    upload = httpx.post(web_server.url + "/gradio_api/upload", files={"files": ("a.txt", b"x")}, timeout=30)
    assert upload.status_code == 404


def test_the_footer_shows_the_guidelines_e_mail_and_no_phone_by_default(web_server):
    for path in ["/", "/tilgaengelighed"]:
        html = httpx.get(web_server.url + path, timeout=30).text
        assert f'href="mailto:{GUIDELINE_EMAIL}"' in footer(html)
        assert "Telefon" not in html and "tel:" not in html, path


def test_a_phone_and_its_hours_are_shown_when_set(web_server_factory):
    env = {"ASSISTANT_CONTACT_PHONE": "70 10 20 30", "ASSISTANT_CONTACT_HOURS": "hverdage kl. 10–14"}
    server = web_server_factory(workers=0, env_extra=env)
    home = httpx.get(server.url + "/", timeout=30).text
    assert 'Telefon: <a href="tel:70102030">70 10 20 30</a> (hverdage kl. 10–14)' in footer(home)
    assert f'href="mailto:{GUIDELINE_EMAIL}"' in footer(home)
    statement = httpx.get(server.url + "/tilgaengelighed", timeout=30).text
    main = statement[: statement.index("<footer")]
    assert '<li>Telefon: <a href="tel:70102030">70 10 20 30</a> (hverdage kl. 10–14)</li>' in main


def test_the_gradio_console_runs_on_loopback_only(tmp_path):
    refused = web_run_cli("gradio", "--host", "0.0.0.0", "--port", str(web_free_port()), data_dir=tmp_path / "a")
    assert refused.returncode == 2 and "kun på denne maskine" in refused.stderr + refused.stdout
    assert "Traceback" not in refused.stderr
    port = web_free_port()
    env = {**os.environ, **web_env_vars(tmp_path / "b")}
    log = (tmp_path / "console.log").open("wb")
    console = subprocess.Popen(
        [str(ASSISTANT_BIN), "gradio", "--port", str(port)], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline, config = time.monotonic() + 180, None
        while time.monotonic() < deadline and console.poll() is None:
            try:
                config = httpx.get(f"http://127.0.0.1:{port}/config", timeout=5).json()
                break
            except (httpx.HTTPError, ValueError):
                time.sleep(0.5)
        assert config is not None, (tmp_path / "console.log").read_text(errors="replace")[-2000:]
        assert config["title"].startswith("Tilskudsassistenten") and not config["analytics_enabled"]
    finally:
        console.terminate()
        console.wait(30)
