"""The HTTP API against the real app and the real index (TestClient), plus a real server for durability."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3

import httpx
import pytest

from tests.corpus_pools import PRIMARY, cases, faq_case, faq_question

POOL = PRIMARY.id


@pytest.fixture(scope="module")
def auth(web_staff_token) -> dict[str, str]:
    return {"Authorization": f"Bearer {web_staff_token}"}


def ask(client, question: str, pool: str | None = POOL, **extra):
    return client.post("/api/ask", json={"question": question, "pool": pool, **extra})


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message_da", "message_en"}
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    return body["error"]


def parse_sse(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


# -- questions -----------------------------------------------------------------------------------------


def test_ask_returns_answer_with_citations_and_answer_id(web_client):
    response = ask(web_client, "Hvornår er ansøgningsfristen?")
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["answer_id"]) >= 16
    assert body["pool"] == POOL and not body["abstained"]
    assert PRIMARY.deadline_date in body["answer"]
    citation = body["citations"][0]
    assert citation["doc_id"] == PRIMARY.doc_id
    assert citation["label"].startswith(PRIMARY.vejledning.meta.short_title)
    assert citation["url"].startswith(f"/sources/{PRIMARY.doc_id}/{citation['section']}?quote=")
    assert set(body) >= {"question", "answer", "citations", "facts", "abstained", "clarification"}


def test_ask_accepts_history(web_client):
    history = [{"role": "user", "content": f"Hvem kan søge {PRIMARY.short_name}?"},
               {"role": "assistant", "content": "Frivillige organisationer."}]
    response = ask(web_client, "Hvornår er fristen?", history=history)
    assert response.status_code == 200, response.text


def test_unknown_pool_is_404_with_error_body(web_client):
    error = assert_error(ask(web_client, "Hvornår er fristen?", pool="findes-ikke"), 404, "unknown_pool")
    assert "Ukendt pulje" in error["message_da"]
    assert_error(web_client.get("/api/pools/findes-ikke/facts"), 404, "unknown_pool")


@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_is_rejected_in_danish(web_client, question):
    error = assert_error(ask(web_client, question), 422, "invalid_question")
    assert "tomt" in error["message_da"]


def test_question_over_2000_characters_is_rejected(web_client):
    assert ask(web_client, "a" * 2000).status_code == 200
    error = assert_error(ask(web_client, "a" * 2001), 422, "invalid_question")
    assert "2000" in error["message_da"] and "for langt" in error["message_da"]


@pytest.mark.parametrize("payload, fragment", [
    ({"pool": POOL}, "»question« mangler"),
    ({"question": 42}, "»question« har en forkert type"),
    ({"question": "Hvem kan søge?", "spørgsmål": "x"}, "kendes ikke"),
    ({"question": "Hvem kan søge?", "history": [{"role": "system", "content": "x"}]}, "skal være en af"),
])
def test_request_validation_errors_have_the_same_shape(web_client, payload, fragment):
    error = assert_error(web_client.post("/api/ask", json=payload), 422, "invalid_request")
    assert fragment in error["message_da"]


def test_malformed_json_is_422(web_client):
    response = web_client.post("/api/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert_error(response, 422, "invalid_request")


def test_unknown_api_path_is_json_404(web_client):
    assert_error(web_client.get("/api/findes-ikke"), 404, "not_found")


def test_unexpected_error_gives_danish_500_without_trace(web_client, monkeypatch, caplog):
    service = web_client.app.state.service

    def explode(*args, **kwargs):
        raise RuntimeError("hemmelig intern detalje")

    monkeypatch.setattr(service.assistant, "ask", explode)
    # A question no other test asks: an answer cached by an earlier test would never reach `ask`.
    response = ask(web_client, "Hvornår er fristen for vores fejltest?")
    error = assert_error(response, 500, "internal_error")
    assert "uventet fejl" in error["message_da"]
    assert "hemmelig" not in response.text and "RuntimeError" not in response.text
    assert "hemmelig intern detalje" in caplog.text  # the trace goes to the log instead


# -- chat and streaming ------------------------------------------------------------------------------


def test_chat_creates_session_and_keeps_history(web_client):
    first = web_client.post("/api/chat", json={"question": f"Hvem kan søge {PRIMARY.short_name}?", "pool": POOL})
    assert first.status_code == 200, first.text
    session_id = first.json()["session_id"]
    assert session_id
    second = web_client.post("/api/chat", json={"question": "Og hvornår er fristen?", "pool": POOL,
                                                "session_id": session_id})
    assert second.status_code == 200
    assert second.json()["session_id"] == session_id
    _, history = web_client.app.state.service.sessions.history(session_id)
    assert [m["role"] for m in history] == ["user", "assistant", "user", "assistant"]
    assert history[2]["content"] == "Og hvornår er fristen?"


def test_chat_with_unknown_session_starts_a_new_one(web_client):
    response = web_client.post("/api/chat", json={"question": "Hvem kan søge?", "session_id": "ukendt-id"})
    assert response.status_code == 200
    assert response.json()["session_id"] != "ukendt-id"


def test_chat_sessions_are_kept_in_the_database_and_one_client_cannot_flush_them(tmp_path):
    from assistant.storage import Storage
    from assistant.web.sessions import ChatSessions

    storage = Storage(f"sqlite:///{tmp_path / 'sessions.db'}")
    assert storage.connect()
    sessions = ChatSessions(storage, max_messages=3)
    first, _ = sessions.history(None)
    sessions.append(first, *[{"role": "user", "content": str(i)} for i in range(5)])
    for _ in range(300):  # a client starting session after session (the old in-memory LRU held 2,000)
        flood, _ = sessions.history(None)
        sessions.append(flood, {"role": "user", "content": "x"})
    assert sessions.history(first) == (first, [{"role": "user", "content": str(i)} for i in (2, 3, 4)])
    # a second instance on the same database (another server) continues the same chat
    assert ChatSessions(Storage(f"sqlite:///{tmp_path / 'sessions.db'}"), max_messages=3).history(first)[0] == first


def test_chat_stream_sends_delta_answer_done(web_client):
    response = web_client.post("/api/chat/stream", json={"question": "Hvornår er ansøgningsfristen?", "pool": POOL})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["answer", "done"]
    assert names.count("delta") >= 1
    answer = dict(events)["answer"]
    assert "".join(data["text"] for name, data in events if name == "delta") == answer["answer"]
    assert answer["citations"] and answer["session_id"] == events[0][1]["session_id"]


def test_chat_stream_rejects_bad_question_before_streaming(web_client):
    assert_error(web_client.post("/api/chat/stream", json={"question": ""}), 422, "invalid_question")


def test_sentence_pieces_split_at_sentence_boundaries():
    from assistant.web.routes.ask import sentence_pieces

    text = "Fristen er 7. august 2025 kl. 23:59. Ansøgningen skal være modtaget.\n\nSe afsnit 13."
    pieces = sentence_pieces(text)
    assert "".join(pieces) == text and len(pieces) >= 3


# -- pools, facts, sources ---------------------------------------------------------------------------


def test_pools_list_names_and_deadlines(web_client):
    response = web_client.get("/api/pools")
    assert response.status_code == 200
    pools = {p["pool"]: p for p in response.json()}
    assert {c.id for c in cases()} == set(pools)
    pool = pools[POOL]
    assert pool["name"] and pool["documents"]
    assert pool["deadline"]["display"] and pool["deadline"]["url"].startswith("/sources/")
    assert pool["open"] == (not pool["deadline_passed"])


def test_pool_facts(web_client):
    response = web_client.get(f"/api/pools/{POOL}/facts")
    assert response.status_code == 200
    facts = response.json()
    assert facts and all(f["display"] and f["source_label"] for f in facts)


def test_source_section_as_json(web_client):
    response = web_client.get(f"/api/{PRIMARY.source_path.lstrip('/')}")
    assert response.status_code == 200
    body = response.json()
    section, title = PRIMARY.deadline.section, PRIMARY.vejledning.meta.short_title
    assert body["title"].startswith(section) and body["paragraphs"]
    assert body["label"] == f"{title}, afsnit {section}"
    assert body["document"]["short_title"] == title
    assert_error(web_client.get(f"/api/sources/{PRIMARY.doc_id}/{PRIMARY.missing_section}"), 404, "unknown_section")
    assert_error(web_client.get("/api/sources/findes-ikke/1"), 404, "unknown_section")


def test_source_page_is_danish_html_with_highlighted_quote(web_client):
    quote = PRIMARY.deadline.quote
    response = web_client.get(PRIMARY.source_path, params={"quote": quote})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="da">' in page
    assert f"<mark>{quote}</mark>" in page
    assert 'id="citat"' in page and "<main" in page and "<h1" in page


def test_source_page_escapes_the_quote_parameter(web_client):
    response = web_client.get(PRIMARY.source_path, params={"quote": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text
    missing = web_client.get(f"/sources/{PRIMARY.doc_id}/{PRIMARY.missing_section}")
    assert missing.status_code == 404 and 'lang="da"' in missing.text


# -- feedback and storage ----------------------------------------------------------------------------


def db_rows(path, query: str, *args) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(query, args).fetchall()


def test_feedback_is_persisted(web_client, web_db_path):
    answer_id = ask(web_client, "Hvem kan søge?").json()["answer_id"]
    response = web_client.post("/api/feedback", json={"answer_id": answer_id, "vote": "down",
                                                      "comment": "Mangler svar om moms"})
    assert response.status_code == 200, response.text
    feedback_id = response.json()["feedback_id"]
    rows = db_rows(web_db_path, "SELECT answer_id, vote, comment FROM feedback WHERE id = ?", feedback_id)
    assert rows == [(answer_id, "down", "Mangler svar om moms")]


def test_feedback_validation(web_client):
    assert_error(web_client.post("/api/feedback", json={"answer_id": "findes-ikke", "vote": "up"}),
                 404, "unknown_answer")
    assert_error(web_client.post("/api/feedback", json={"answer_id": "x", "vote": "meh"}), 422, "invalid_request")


def test_personal_data_is_stored_masked(web_client, web_db_path):
    question = "Mit CPR-nummer er 010190-1234, mail ansøger@example.dk, tlf. 12 34 56 78 – kan jeg søge?"
    answer_id = ask(web_client, question).json()["answer_id"]
    web_client.post("/api/feedback", json={"answer_id": answer_id, "vote": "down",
                                           "comment": "Ring på 87654321 eller skriv til a@b.dk (cpr 0101901234)"})
    [(stored,)] = db_rows(web_db_path, "SELECT question FROM questions WHERE answer_id = ?", answer_id)
    [(comment,)] = db_rows(web_db_path, "SELECT comment FROM feedback WHERE answer_id = ?", answer_id)
    for text in (stored, comment):
        assert "010190" not in text and "0101901234" not in text and "@" not in text
        assert "12 34 56 78" not in text and "87654321" not in text
    assert "[CPR-nummer fjernet]" in stored and "[e-mail fjernet]" in stored
    assert "[telefonnummer fjernet]" in stored
    with sqlite3.connect(web_db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_acknowledged_feedback_survives_kill_9(web_server_factory):
    server = web_server_factory()
    with httpx.Client(base_url=server.url, timeout=60) as client:
        answer_id = client.post("/api/ask", json={"question": "Hvem kan søge?", "pool": POOL}).json()["answer_id"]
        response = client.post("/api/feedback", json={"answer_id": answer_id, "vote": "up", "comment": "holdt"})
        assert response.status_code == 200
        os.kill(server.process.pid, signal.SIGKILL)  # no shutdown, no checkpoint: only the fsynced WAL
    server.process.wait(timeout=10)
    rows = db_rows(server.db_path, "SELECT vote, comment FROM feedback WHERE answer_id = ?", answer_id)
    assert rows == [("up", "holdt")]


# -- CORS, staff view, pages -------------------------------------------------------------------------


def test_cors_allows_only_listed_origins(web_client, web_allowed_origin):
    allowed = web_client.post("/api/ask", json={"question": "Hvem kan søge?"},
                              headers={"Origin": web_allowed_origin})
    assert allowed.headers.get("access-control-allow-origin") == web_allowed_origin
    other = web_client.post("/api/ask", json={"question": "Hvem kan søge?"}, headers={"Origin": "https://ond.example"})
    assert "access-control-allow-origin" not in other.headers

    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = web_client.options("/api/chat/stream", headers={"Origin": web_allowed_origin, **preflight})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == web_allowed_origin
    refused = web_client.options("/api/chat/stream", headers={"Origin": "https://ond.example", **preflight})
    assert "access-control-allow-origin" not in refused.headers


def test_staff_view_requires_the_token(web_client):
    page = web_client.get("/staff")
    assert page.status_code == 401
    assert "Log ind" in page.text and "Ubesvarede" not in page.text
    as_json = web_client.get("/staff", headers={"Accept": "application/json"})
    assert_error(as_json, 401, "unauthorized")
    wrong = web_client.get("/staff", headers={"Authorization": "Bearer forkert"})
    assert wrong.status_code == 401 and "Ubesvarede" not in wrong.text
    assert_error(web_client.get("/api/staff/gaps"), 401, "unauthorized")
    assert_error(web_client.post("/api/staff/ask", json={"question": "Hvem kan søge?"}), 401, "unauthorized")


def test_staff_view_with_token_is_not_frameable(web_client, auth):
    page = web_client.get("/staff", headers=auth)
    assert page.status_code == 200
    assert "Ubesvarede og dårligt bedømte spørgsmål" in page.text and '<html lang="da">' in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    login = web_client.get("/staff")
    assert login.headers["x-frame-options"] == "DENY"


def test_staff_login_form_sets_httponly_cookie(web_app, web_client, web_staff_token):
    from fastapi.testclient import TestClient

    from tests.conftest import web_staff_login

    client = TestClient(web_app)  # its own cookie jar; the app is already started by web_client
    wrong = web_staff_login(client, "forkert")
    assert wrong.status_code == 401 and "Forkert adgangsnøgle" in wrong.text
    response = web_staff_login(client, web_staff_token)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert web_staff_token not in cookie
    assert client.get("/staff").status_code == 200
    client.post("/staff/logout", follow_redirects=False)
    client.cookies.clear()
    assert client.get("/staff").status_code == 401


def test_staff_ask_gives_sections_faq_facts_and_reply(web_client, auth):
    pool, section = faq_case()
    response = web_client.post("/api/staff/ask", headers=auth,
                               json={"question": faq_question(section), "pool": pool.id})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sections"] and all(s["paragraphs"] for s in body["sections"])
    assert body["faq"] and all(s["document"]["kind"] == "faq" for s in body["faq"])
    assert body["facts"]
    reply = body["reply_da"]
    assert reply.startswith("Kære ansøger") and "Kilder:" in reply and "http" in reply


def test_staff_gaps_lists_abstained_and_thumbs_down_newest_first(web_client, auth):
    abstained = ask(web_client, "Hvad koster en billet til månen i puljen?").json()
    disliked = ask(web_client, "Hvilke udgifter kan der søges tilskud til?").json()
    web_client.post("/api/feedback", json={"answer_id": disliked["answer_id"], "vote": "down"})
    items = web_client.get("/api/staff/gaps", headers=auth, params={"pool": POOL}).json()["items"]
    ids = [i["answer_id"] for i in items]
    assert disliked["answer_id"] in ids
    reasons = {i["answer_id"]: i["reason"] for i in items}
    assert reasons[disliked["answer_id"]] == "thumbs_down"
    if abstained["abstained"]:
        assert reasons[abstained["answer_id"]] == "abstained"
        assert ids.index(disliked["answer_id"]) < ids.index(abstained["answer_id"])
    stamps = [i["created_at"] for i in items]
    assert stamps == sorted(stamps, reverse=True)
    assert all(i["pool"] == POOL for i in items)
    page = web_client.get("/staff", headers=auth).text
    assert "Hvilke udgifter kan der søges tilskud til?" in page


def test_health_ready_and_openapi(web_client):
    assert web_client.get("/healthz").json() == {"status": "ok"}
    assert web_client.get("/readyz").json()["status"] == "ready"
    assert web_client.get("/docs").status_code == 200
    paths = web_client.get("/openapi.json").json()["paths"]
    assert {"/api/ask", "/api/chat", "/api/chat/stream", "/api/pools", "/api/feedback", "/api/staff/gaps"} <= set(paths)


def test_applicant_page_widget_and_demo_are_served(web_client):
    page = web_client.get("/")
    assert page.status_code == 200 and page.text.lstrip().lower().startswith("<!doctype html>")
    assert 'lang="da"' in page.text[:200]
    widget = web_client.get("/widget.js")
    assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]
    assert "attachShadow" in widget.text and "innerHTML" not in widget.text
    demo = web_client.get("/demo")
    assert demo.status_code == 200
    preset = re.search(r'<script src="/widget.js" data-pool="([^"]+)"', demo.text)
    assert preset and preset.group(1) in {c.id for c in cases()}  # the demo host page presets a pool we have
    assert web_client.get("/ui/staff.html").status_code == 404  # only whitelisted assets are served
