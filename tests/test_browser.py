"""End to end in headless Debian Chromium (Playwright, sync API) against a real uvicorn server: the applicant
page (templates + widget.js inline), the widget on the demo host page, the source view and the staff view, at phone width (390 px)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.corpus_pools import PRIMARY, SECOND, case, faq_case, faq_question

pytestmark = pytest.mark.browser

XSS_PAYLOADS = ["<script>window.__pwned=1</script>", '<img src=x onerror="window.__pwned=1">']
ANSWER_TIMEOUT = 60_000


def shoot(page, directory, name: str) -> None:
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def ask_on_applicant_page(page, question: str) -> None:
    box = page.get_by_label("Dit spørgsmål")
    box.fill(question)
    box.press("Enter")


def assert_not_executed(page) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0


def test_applicant_page_answers_with_visible_citation(web_page, web_server, web_screenshot_dir):
    page = web_page
    page.goto(web_server.url + "/")
    page.get_by_text("citat fra det afsnit i vejledningen").wait_for()
    page.get_by_text("Du spørger om alle puljer").wait_for()  # the page's script has run
    assert page.evaluate("document.documentElement.lang") == "da"
    ask_on_applicant_page(page, f"Hvornår er ansøgningsfristen for {PRIMARY.short_name}?")
    page.get_by_text("Kilder (").first.click(timeout=ANSWER_TIMEOUT)
    source = page.locator(".msg.bot ol.sources a").first
    assert source.is_visible()
    assert PRIMARY.vejledning.meta.short_title in source.inner_text()
    href = source.get_attribute("href")
    assert href.startswith(f"{web_server.url}/sources/{PRIMARY.doc_id}/") and "quote=" in href
    assert page.locator(".msg.bot .fact").first.is_visible()  # the deadline fact is highlighted
    shoot(page, web_screenshot_dir, "applicant")

    page.goto(href)
    assert page.evaluate("document.documentElement.lang") == "da"
    highlight = page.locator("article mark").first
    assert highlight.is_visible() and PRIMARY.deadline_date in highlight.inner_text()
    shoot(page, web_screenshot_dir, "source")


def test_applicant_page_works_with_keyboard_only(web_page, web_server):
    page = web_page
    page.goto(web_server.url + "/")
    page.get_by_label("Dit spørgsmål").wait_for()
    # The question box lives in the conversation's Shadow DOM: look through the host for what has focus.
    focused = "(() => { const a = document.activeElement; return (a.shadowRoot ? a.shadowRoot.activeElement : a).tagName; })()"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "TEXTAREA":
            break
    assert page.evaluate(focused) == "TEXTAREA", "the question box is not reachable by Tab"
    page.keyboard.type(f"Hvem må søge i {SECOND.short_name}?")
    page.keyboard.press("Enter")
    page.locator(".msg.bot .vote").first.wait_for(timeout=ANSWER_TIMEOUT)


def test_applicant_page_pool_examples_and_feedback(web_page, web_server):
    page = web_page
    page.goto(web_server.url + "/")
    pool = page.get_by_label("Pulje")
    pool.focus()
    pool.select_option(label=PRIMARY.short_name)
    page.get_by_text("Ansøgningsfrist:").wait_for()
    assert page.evaluate("document.activeElement.id") == "pulje"  # focus stays where the applicant is
    question = PRIMARY.examples()[-1]
    example = page.get_by_role("button", name=question)
    example.click()
    page.locator(".msg.bot .vote").first.wait_for(timeout=ANSWER_TIMEOUT)
    page.get_by_role("button", name="Nej, svaret hjalp ikke").click()
    page.get_by_role("button", name="Send vurdering").click()
    page.get_by_text("Tak for din vurdering").wait_for()
    with sqlite3.connect(web_server.db_path) as conn:
        rows = conn.execute("SELECT q.question, q.pool, f.vote FROM feedback f JOIN questions q "
                            "USING (answer_id) WHERE q.channel = 'chat'").fetchall()
    assert (question, PRIMARY.id, "down") in rows


def test_widget_on_demo_page_answers_and_links_to_source(web_page, web_server, web_screenshot_dir):
    page = web_page
    page.goto(web_server.url + "/demo")
    launcher = page.locator("button.launcher")
    launcher.wait_for()
    in_shadow = page.evaluate("""() => {
        const host = document.querySelector('[data-tilskudsassistent]');
        return !!host && !!host.shadowRoot && !!host.shadowRoot.querySelector('button.launcher')
            && !document.querySelector('button.launcher');
    }""")
    assert in_shadow, "the widget's button must live in its Shadow DOM"
    # the host page styles every <button> hotpink; the Shadow DOM keeps that out of the widget
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") != "rgb(255, 105, 180)"
    preset = case(page.evaluate("document.querySelector('script[data-pool]').dataset.pool"))
    launcher.click()
    assert launcher.get_attribute("aria-expanded") == "true"
    box = page.get_by_label("Dit spørgsmål")
    box.fill("Hvornår er ansøgningsfristen?")
    box.press("Enter")
    page.get_by_text("Kilder (").first.click(timeout=ANSWER_TIMEOUT)
    link = page.locator("ol.sources a").first
    href = link.get_attribute("href")
    assert href.startswith(f"{web_server.url}/sources/{preset.doc_id}/"), href  # the demo's pool
    assert preset.vejledning.meta.short_title in link.inner_text()
    assert link.get_attribute("target") == "_blank"
    shoot(page, web_screenshot_dir, "widget")

    page.keyboard.press("Escape")
    assert launcher.get_attribute("aria-expanded") == "false"
    response = page.goto(href)
    assert response.status == 200
    assert page.locator("article mark").first.is_visible()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_applicant_page_shows_markup_as_text(web_page, web_server, payload):
    page = web_page
    page.goto(web_server.url + "/")
    ask_on_applicant_page(page, f"{payload} Hvem kan søge?")
    page.locator(".msg.bot .vote").first.wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".msg.user").get_by_text(payload).is_visible()
    assert_not_executed(page)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_widget_shows_markup_as_text(web_page, web_server, payload):
    page = web_page
    page.goto(web_server.url + "/demo")
    page.locator("button.launcher").click()
    box = page.get_by_label("Dit spørgsmål")
    box.fill(f"{payload} Hvem kan søge?")
    box.press("Enter")
    page.get_by_text("Svaret er klar.").wait_for(timeout=ANSWER_TIMEOUT)
    assert page.locator(".msg.user").get_by_text(payload).is_visible()
    assert_not_executed(page)
    assert page.evaluate("""() => document.querySelector('[data-tilskudsassistent]').shadowRoot
        .querySelectorAll('img, script').length""") == 0


def test_staff_view_refuses_without_token(web_page, web_server, web_screenshot_dir, web_staff_token):
    page = web_page
    response = page.goto(web_server.url + "/staff")
    assert response.status == 401
    assert response.headers["x-frame-options"] == "DENY"
    assert page.get_by_label("Adgangsnøgle").is_visible()
    assert page.get_by_text("Ubesvarede og dårligt bedømte").count() == 0
    shoot(page, web_screenshot_dir, "staff-login")

    page.get_by_label("Adgangsnøgle").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Forkert adgangsnøgle").wait_for()

    page.get_by_label("Adgangsnøgle").fill(web_staff_token)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Ubesvarede og dårligt bedømte").wait_for()
    assert page.evaluate("document.cookie") == ""  # the session cookie is HttpOnly
    pool, section = faq_case()
    page.get_by_label("Pulje", exact=True).select_option(pool.id)
    page.get_by_label("Spørgsmål fra ansøger").fill(faq_question(section))
    page.get_by_role("button", name="Find svar").click()
    # (the staff page's CSP forbids string eval, so no wait_for_function here)
    expect(page.locator("#reply")).to_have_value(re.compile(r"^Kære ansøger"), timeout=ANSWER_TIMEOUT)
    reply = page.locator("#reply").input_value()
    assert "Kilder:" in reply and web_server.url + "/sources/" in reply
    assert page.locator("#faq .card").count() >= 1 and page.locator("#facts td").count() >= 3
    page.get_by_role("button", name="Kopiér svar").click()
    page.get_by_text("Svaret er kopieret").or_(page.get_by_text("kopiér med Ctrl+C")).first.wait_for()
    shoot(page, web_screenshot_dir, "staff")


def test_api_docs_render_offline(web_page, web_server):
    # Swagger UI's assets come from the swagger-ui-bundle package; nothing may be fetched from a CDN.
    requested: list[str] = []
    web_page.on("request", lambda request: requested.append(request.url))
    web_page.goto(web_server.url + "/docs")
    expect(web_page.get_by_text("/api/ask").first).to_be_visible(timeout=ANSWER_TIMEOUT)
    assert all(url.startswith((web_server.url, "data:")) for url in requested), requested
