"""The public pages as applicants use them, in headless Debian Chromium against a real server: axe-core
(pinned, from npm) finds no serious or critical WCAG 2.1 AA problem at phone and laptop size; the keyboard
alone asks, reads, opens a source, gives feedback with a comment and closes the widget; a network failure
keeps the conversation and retries; a reload keeps the conversation; the question box is on the first screen."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests import axe
from tests.corpus_pools import PRIMARY, SECOND

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "laptop": LAPTOP}
ANSWER_TIMEOUT = 60_000
QUESTION = "Hvornår er fristen?"
SOURCE = PRIMARY.source_path
SOURCE_QUOTED = f"{SOURCE}?quote={quote(PRIMARY.deadline.quote)}#citat"


@pytest.fixture(scope="session")
def axe_script() -> str:
    return axe.ensure().read_text(encoding="utf-8")


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized_page(request, web_browser):
    # bypass_csp: the staff page's strict CSP would refuse the injected axe-core script.
    context = web_browser.new_context(viewport=SIZES[request.param], locale="da-DK", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(web_browser):
    context = web_browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def audit(page, axe_script: str) -> list[str]:
    """Serious and critical WCAG 2.x A/AA violations on the page as it is now, one line each."""
    page.add_script_tag(content=axe_script)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        axe.WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def ask(page, question: str = QUESTION) -> None:
    box = page.get_by_label("Dit spørgsmål")
    box.fill(question)
    box.press("Enter")
    page.locator(".msg.bot .vote").last.wait_for(timeout=ANSWER_TIMEOUT)


def login(page, url: str, token: str) -> None:
    page.goto(url + "/staff")
    page.get_by_label("Adgangsnøgle").fill(token)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Ubesvarede og dårligt bedømte").wait_for()


# -- axe-core ---------------------------------------------------------------------------------------------


def test_applicant_page_with_an_answer_has_no_serious_findings(sized_page, web_server, axe_script):
    page = sized_page
    page.goto(web_server.url + "/")
    assert page.evaluate("document.documentElement.lang") == "da"
    ask(page)
    page.get_by_text("Kilder (").first.click()  # the sources disclosure open, so its links are audited too
    assert audit(page, axe_script) == []


def test_widget_open_on_demo_page_has_no_serious_findings(sized_page, web_server, axe_script):
    page = sized_page
    page.goto(web_server.url + "/demo")
    page.locator("button.launcher").click()
    ask(page)
    assert audit(page, axe_script) == []


@pytest.mark.parametrize("path", ["/tilgaengelighed", SOURCE_QUOTED])
def test_public_pages_have_no_serious_findings(sized_page, web_server, axe_script, path):
    sized_page.goto(web_server.url + path)
    assert audit(sized_page, axe_script) == []


def test_staff_page_logged_in_has_no_serious_findings(sized_page, web_server, axe_script, web_staff_token):
    login(sized_page, web_server.url, web_staff_token)
    assert audit(sized_page, axe_script) == []


def test_staff_pools_page_has_no_serious_findings(sized_page, web_server, axe_script, web_staff_token):
    login(sized_page, web_server.url, web_staff_token)
    sized_page.goto(web_server.url + "/staff/puljer")
    assert sized_page.locator("h1").inner_text().startswith("Puljer")
    assert audit(sized_page, axe_script) == []


# -- the public-service frame ---------------------------------------------------------------------------------


def test_pages_name_the_service_and_authority_without_framework_branding(phone_page, web_server):
    page = phone_page
    for path in ["/", "/tilgaengelighed", SOURCE]:
        page.goto(web_server.url + path)
        assert page.evaluate("document.documentElement.lang") == "da"
        assert page.locator("header").get_by_text("Social- og Boligstyrelsen").is_visible()
        footer = page.locator("footer")
        assert footer.get_by_role("heading", name="Kontakt").count() == 1
        assert "90 dage" in footer.inner_text()
        assert footer.get_by_role("link", name="Tilgængelighedserklæring").count() == 1
        html = page.content().lower()
        assert "gradio" not in html and "og:title" not in html
        assert page.evaluate("document.querySelector('link[rel=icon]').href").endswith("/ui/favicon.svg")
    page.goto(web_server.url + "/tilgaengelighed")
    for heading in [
        "Overholdelsesstatus",
        "Indhold, der ikke er tilgængeligt",
        "Udarbejdelse af denne tilgængelighedserklæring",
        "Feedback og kontaktoplysninger",
        "Håndhævelsesprocedure",
    ]:
        assert page.get_by_role("heading", name=heading).count() == 1, heading


@pytest.mark.parametrize("size", list(SIZES))
def test_question_box_is_on_the_first_screen(web_browser, web_server, size):
    context = web_browser.new_context(viewport=SIZES[size], locale="da-DK")
    page = context.new_page()
    page.goto(web_server.url + "/")
    box = page.get_by_label("Dit spørgsmål").bounding_box()
    send = page.get_by_role("button", name="Send spørgsmål").bounding_box()
    context.close()
    assert box["y"] >= 0 and send["y"] + send["height"] <= SIZES[size]["height"], (box, send)


# -- keyboard, network, reload ----------------------------------------------------------------------------


def focused(page) -> str:
    """What has focus, looking into the widget's Shadow DOM: 'TAG text-or-label'."""
    return page.evaluate("""() => {
        let el = document.activeElement;
        while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
        if (!el || el === document.body) return 'BODY';
        return el.tagName + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim();
    }""")


def tab_to(page, pattern: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if re.search(pattern, focused(page)):
            return
    raise AssertionError(f"{pattern!r} not reachable with Tab; focus is on {focused(page)!r}")


def test_keyboard_only_ask_read_source_feedback(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + "/")
    tab_to(page, r"^TEXTAREA")
    page.keyboard.type("Hvem kan søge?")
    page.keyboard.press("Enter")
    page.locator(".msg.bot .vote").last.wait_for(timeout=ANSWER_TIMEOUT)
    expect(page.get_by_role("status").filter(has_text="Svaret er klar")).to_have_count(1)
    tab_to(page, r"^SUMMARY Kilder")
    page.keyboard.press("Enter")
    tab_to(page, r"^A ")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sources/"))
    assert page.locator("article mark").first.is_visible()
    tab_to(page, r"Tilbage til samtalen")
    page.keyboard.press("Enter")
    page.wait_for_url(web_server.url + "/")
    page.locator(".msg.bot .vote").last.wait_for()  # the conversation came back
    tab_to(page, r"Nej, svaret hjalp ikke")
    page.keyboard.press("Enter")
    assert focused(page).startswith("TEXTAREA")  # "Hvad manglede?" has focus
    page.keyboard.type("Jeg manglede beløbet. Ring til mig på 12345678")
    tab_to(page, r"Send vurdering", limit=3)
    page.keyboard.press("Enter")
    page.get_by_text("Tak for din vurdering").wait_for()
    with sqlite3.connect(web_server.db_path) as conn:
        comments = [r[0] for r in conn.execute("SELECT comment FROM feedback WHERE vote = 'down'")]
    stored = next(c for c in comments if c and c.startswith("Jeg manglede beløbet"))
    assert "12345678" not in stored  # masked before storage


def test_keyboard_only_widget_is_a_modal_dialog(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + "/demo")
    page.locator("button.launcher").wait_for()
    tab_to(page, r"^BUTTON Spørg om puljen")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Tilskudsassistenten")
    expect(dialog).to_be_visible()
    assert dialog.get_attribute("aria-modal") == "true"
    assert focused(page).startswith("TEXTAREA")
    seen = set()
    for _ in range(12):  # Tab cycles inside the dialog and never reaches the launcher or the host page
        page.keyboard.press("Tab")
        seen.add(focused(page))
        assert "Spørg om puljen" not in focused(page)
        assert page.evaluate("document.activeElement.hasAttribute('data-tilskudsassistent')")
    assert any("Luk" in f for f in seen)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert focused(page) == "BUTTON Spørg om puljen"  # focus is back on the launcher


def test_network_failure_keeps_the_conversation_and_retries(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + "/")
    ask(page, "Hvem kan søge?")
    page.route("**/api/chat/stream", lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Dit spørgsmål").fill(QUESTION)
    page.get_by_label("Dit spørgsmål").press("Enter")
    retry = page.get_by_role("button", name="Prøv igen")
    retry.wait_for()
    assert "kan ikke nås" in page.locator(".msg.error").inner_text()
    assert page.locator(".msg.user").first.inner_text().endswith("Hvem kan søge?")  # earlier turn kept
    page.unroute("**/api/chat/stream")
    retry.click()
    expect(page.locator(".msg.bot .vote")).to_have_count(2, timeout=ANSWER_TIMEOUT)
    assert page.locator(".msg.error").count() == 0
    assert [t.split("\n")[-1] for t in page.locator(".msg.user").all_inner_texts()] == ["Hvem kan søge?", QUESTION]


def test_a_stream_cut_mid_answer_says_so_in_danish_and_retries(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + "/")
    ask(page, "Hvem kan søge?")
    cut = 'event: meta\ndata: {"session_id":"x","answer_id":"y"}\n\nevent: delta\ndata: {"text":"Ansøgnings"}\n\n'
    page.route(
        "**/api/chat/stream",
        lambda route: route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=cut),
    )
    page.get_by_label("Dit spørgsmål").fill(QUESTION)
    page.get_by_label("Dit spørgsmål").press("Enter")
    page.get_by_role("button", name="Prøv igen").wait_for()
    assert "afbrudt" in page.locator(".msg.error").inner_text()
    page.unroute("**/api/chat/stream")
    page.get_by_role("button", name="Prøv igen").click()
    expect(page.locator(".msg.bot .vote")).to_have_count(2, timeout=ANSWER_TIMEOUT)


# The stream stays open after its answer event; the first call's bytes are replayed through a stream that
# never closes, as a slow proxy would leave it.
HOLD_STREAM_OPEN = """
(() => {
  const real = window.fetch;
  let held = false;
  window.fetch = async (url, init) => {
    const response = await real(url, init);
    if (held || !String(url).includes("/api/chat/stream")) return response;
    held = true;
    const bytes = new Uint8Array(await response.arrayBuffer());
    const body = new ReadableStream({ start(controller) { controller.enqueue(bytes); } });
    return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
  };
})()
"""


def test_the_next_question_is_taken_once_the_answer_is_shown(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + "/")
    page.evaluate(HOLD_STREAM_OPEN)
    ask(page, "Hvem kan søge?")  # answered, but its stream is still open
    ask(page)
    assert [t.split("\n")[-1] for t in page.locator(".msg.user").all_inner_texts()] == ["Hvem kan søge?", QUESTION]
    expect(page.locator(".msg.bot .vote")).to_have_count(2)


def test_reload_keeps_the_conversation(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + "/")
    ask(page)
    before = page.locator(".msg.bot .text").first.inner_text()
    page.reload()
    page.locator(".msg.bot .vote").first.wait_for()
    assert page.locator(".msg.bot .text").first.inner_text() == before
    page.get_by_role("button", name="Ny samtale").click()
    assert page.locator(".msg").count() == 0
    page.reload()
    page.get_by_label("Dit spørgsmål").wait_for()
    assert page.locator(".msg").count() == 0


# -- the staff gap list --------------------------------------------------------------------------------------


def test_staff_gap_list_shows_answer_comment_and_can_be_handled(web_browser, web_server, web_staff_token, axe_script):
    context = web_browser.new_context(viewport=LAPTOP, locale="da-DK", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{web_server.url}/?pulje={SECOND.id}")
    ask(page, "Hvem kan søge?")
    given = page.locator(".msg.bot .text").last.inner_text().split("\n")[0]
    page.get_by_role("button", name="Nej, svaret hjalp ikke").last.click()
    page.get_by_label("Hvad manglede?").fill("Et eksempel på en forening, der kan søge")
    page.get_by_role("button", name="Send vurdering").click()
    page.get_by_text("Tak for din vurdering").wait_for()

    login(page, web_server.url, web_staff_token)
    page.get_by_label("Vis pulje").select_option(SECOND.id)
    page.get_by_role("button", name="Vis listen").click()
    gap = page.locator("li.gap").filter(has_text="Et eksempel på en forening, der kan søge")
    expect(gap).to_have_count(1)
    gap.get_by_text("Svaret, ansøgeren fik").click()
    assert given[:40] in gap.locator("blockquote").inner_text()
    assert audit(page, axe_script) == []

    gap.get_by_role("button", name="Lav svar til ansøgeren").click()
    expect(page.locator("#reply")).to_have_value(re.compile(r"^Kære ansøger"), timeout=ANSWER_TIMEOUT)
    assert page.get_by_label("Spørgsmål fra ansøger").input_value() == "Hvem kan søge?"

    gap.get_by_role("button", name="Markér som behandlet").click()
    page.get_by_text("Markeret som behandlet.").wait_for()
    expect(page.locator("li.gap").filter(has_text="Et eksempel på en forening, der kan søge")).to_have_count(0)
    page.get_by_label("Vis spørgsmål").select_option("behandlede")
    page.get_by_role("button", name="Vis listen").click()
    expect(page.locator("li.gap").filter(has_text="Et eksempel på en forening, der kan søge")).to_have_count(1)
    context.close()


def test_source_page_links_back_to_document_and_to_a_question(phone_page, web_server):
    page = phone_page
    page.goto(web_server.url + SOURCE_QUOTED)
    assert page.locator("#citat mark").first.is_visible()
    assert page.get_by_role("link", name="Tilbage til samtalen").get_attribute("href") == "/"
    page.get_by_role("link", name="Vejledning til").first.click()  # the whole document, as a table of contents
    heading = PRIMARY.deadline_section.title.split(" ", 1)[-1]  # the deadline's section in the contents
    expect(page.get_by_role("link", name=re.compile(re.escape(heading)))).not_to_have_count(0)
    page.go_back()
    page.get_by_role("link", name="Spørg om dette afsnit").click()
    page.wait_for_url(re.compile(rf"/\?pulje={re.escape(PRIMARY.id)}"))
    assert page.get_by_label("Pulje").input_value() == PRIMARY.id
    assert page.get_by_label("Dit spørgsmål").input_value().startswith("Om afsnittet »")
