"""`make screenshots`: the applicant page at phone and laptop size (and the widget and a source page), taken in
headless Debian Chromium against a real server, written to docs/screenshots/ for the README."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from tests.conftest import ASSISTANT_BIN, WEB_CHROMIUM, WEB_CHROMIUM_ARGS, web_env_vars, web_free_port
from tests.corpus_pools import PRIMARY

SIZES = {"mobil": {"width": 390, "height": 844}, "computer": {"width": 1280, "height": 800}}
QUESTION = "Hvornår er fristen?"
POOL = PRIMARY.short_name


def serve(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = web_free_port()
    env = {**os.environ, **web_env_vars(data_dir)}
    process = subprocess.Popen(
        [str(ASSISTANT_BIN), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("Serveren startede ikke; kør `make setup` først.")


def shoot(url: str, out: Path) -> list[Path]:
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(WEB_CHROMIUM), args=WEB_CHROMIUM_ARGS)
        for name, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, locale="da-DK", device_scale_factor=1)
            page = context.new_page()
            page.goto(url + "/")
            page.get_by_label("Dit spørgsmål").wait_for()
            written.append(out / f"ansoegerside-{name}-start.png")
            page.screenshot(path=str(written[-1]))
            page.get_by_label("Pulje").select_option(label=POOL)
            box = page.get_by_label("Dit spørgsmål")
            box.fill(QUESTION)
            box.press("Enter")
            page.locator(".msg.bot .vote").last.wait_for(timeout=60_000)
            page.get_by_text("Kilder (").first.click()
            page.evaluate("window.scrollTo(0, 0)")
            written.append(out / f"ansoegerside-{name}-svar.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            page.locator("ol.sources a").first.click()
            page.wait_for_url("**/sources/**")
            written.append(out / f"kilde-{name}.png")
            page.screenshot(path=str(written[-1]))
            page.goto(url + "/demo")
            page.locator("button.launcher").click()
            page.get_by_label("Dit spørgsmål").fill(QUESTION)
            page.get_by_label("Dit spørgsmål").press("Enter")
            page.locator(".msg.bot .vote").last.wait_for(timeout=60_000)
            written.append(out / f"widget-{name}.png")
            page.screenshot(path=str(written[-1]))
            context.close()
        browser.close()
    return written


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tilskud-screenshots-") as tmp:
        process, url = serve(Path(tmp) / "data")
        try:
            for path in shoot(url, out):
                print(path)
        finally:
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
