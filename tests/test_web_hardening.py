"""The web layer under abuse: body limits, rate limits, staff sessions, headers, degraded database,
retention and erasure, access log. Real app (TestClient) on the real index, real SQLite."""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from tests.conftest import web_run_cli, web_staff_login
from tests.corpus_pools import PRIMARY, SECOND

POOL = PRIMARY.id
PROXY = "10.0.0.7"


def make_app(tmp_path, **overrides):
    from assistant.web import create_app

    values = {"data_dir": tmp_path / "data", "database_url": f"sqlite:///{tmp_path / 'data' / 'assistant.db'}"}
    return create_app(Settings(**{**values, **overrides}))


@pytest.fixture(scope="module")
def strict(web_settings, tmp_path_factory):
    """One app with tight limits, shared by the tests below; clients from different addresses."""
    tmp = tmp_path_factory.mktemp("strict")
    app = make_app(
        tmp,
        rate_limit="3/minute",
        login_rate_limit="3/minute",
        trusted_proxies=[PROXY],
        max_body_bytes=4096,
        request_timeout_seconds=2,
    )
    with TestClient(app, raise_server_exceptions=False, client=("192.0.2.1", 1000)) as client:
        yield app, client


def other(app, host: str) -> TestClient:
    return TestClient(app, raise_server_exceptions=False, client=(host, 1000))


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code and "Traceback" not in response.text
    return body["error"]


# -- bodies ------------------------------------------------------------------------------------------


def test_body_over_the_limit_is_413_before_parsing(strict):
    app, _ = strict
    client = other(app, "192.0.2.50")
    error = assert_error(client.post("/api/ask", json={"question": "x" * 5000}), 413, "body_too_large")
    assert "for stor" in error["message_da"]
    # without Content-Length (chunked): counted as it arrives
    chunks = (b'{"question": "' + b"x" * 1024 for _ in range(8))
    response = client.post("/api/ask", content=chunks, headers={"Content-Type": "application/json"})
    assert_error(response, 413, "body_too_large")
    # a 5 MB question is refused by size, not parsed into a 422
    assert_error(client.post("/api/ask", json={"question": "a" * 5_000_000}), 413, "body_too_large")


def test_the_413_carries_cors_and_security_headers(web_client, web_allowed_origin):
    response = web_client.post("/api/ask", json={"question": "x" * 70_000}, headers={"Origin": web_allowed_origin})
    assert_error(response, 413, "body_too_large")
    assert response.headers["access-control-allow-origin"] == web_allowed_origin  # the widget can read it
    assert response.headers["x-content-type-options"] == "nosniff"


# -- rate limits ---------------------------------------------------------------------------------------


def test_rate_limit_gives_429_with_retry_after_per_client(strict):
    app, _ = strict
    client = other(app, "192.0.2.60")
    codes = [client.post("/api/ask", json={"question": "Hvem kan søge?", "pool": POOL}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.post("/api/feedback", json={"answer_id": "x", "vote": "up"})
    error = assert_error(limited, 429, "rate_limited")
    assert "Vent" in error["message_da"] and int(limited.headers["retry-after"]) >= 1
    assert other(app, "192.0.2.61").post("/api/ask", json={"question": "Hvem kan søge?"}).status_code == 200


def test_forwarded_for_is_believed_only_from_trusted_proxies(strict):
    app, _ = strict
    proxy = other(app, PROXY)
    for i in range(3):  # three different applicants behind the one proxy, three asks each
        for _ in range(3):
            headers = {"X-Forwarded-For": f"198.51.100.{i}"}
            assert proxy.post("/api/chat", json={"question": "Hvem kan søge?"}, headers=headers).status_code == 200
    spoofer = other(app, "192.0.2.70")  # not a proxy: its X-Forwarded-For is ignored
    codes = [
        spoofer.post(
            "/api/chat", json={"question": "Hvem kan søge?"}, headers={"X-Forwarded-For": f"203.0.113.{i}"}
        ).status_code
        for i in range(4)
    ]
    assert codes[-1] == 429


@pytest.mark.parametrize(
    "peer, forwarded, expected",
    [
        ("192.0.2.1", None, "192.0.2.1"),
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),
        ("10.0.0.7", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.7", "203.0.113.5, 10.0.0.8", "203.0.113.5"),
        ("10.0.0.7", "1.1.1.1, 203.0.113.5", "203.0.113.5"),
        ("10.0.0.7", "", "10.0.0.7"),
    ],
)
def test_client_address(peer, forwarded, expected):
    from assistant.web.ratelimit import client_address

    assert client_address(peer, forwarded, ["10.0.0.0/24"]) == expected


# -- staff -----------------------------------------------------------------------------------------------


def test_staff_login_is_throttled_per_client(strict):
    app, _ = strict
    client = other(app, "192.0.2.80")
    codes = [web_staff_login(client, "gæt").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    last = web_staff_login(client, "gæt")
    assert last.status_code == 429 and "For mange forsøg" in last.text and last.headers["retry-after"]


def test_staff_login_needs_the_form_from_this_server(web_app, web_client, web_staff_token):
    from assistant.web.deps import STAFF_COOKIE

    client = TestClient(web_app)
    posted = client.post("/staff/login", data={"token": web_staff_token}, follow_redirects=False)
    assert posted.status_code == 400 and STAFF_COOKIE not in posted.cookies and "udløbet" in posted.text
    page = TestClient(web_app).get("/staff")  # a form handed to another browser
    field = page.text.split('name="csrf" value="')[1].split('"')[0]
    foreign = client.post("/staff/login", data={"token": web_staff_token, "csrf": field}, follow_redirects=False)
    assert foreign.status_code == 400
    assert web_staff_login(client, web_staff_token).status_code == 303


def test_logout_revokes_the_session_and_a_copied_cookie_stops_working(web_app, web_client, web_staff_token):
    from assistant.web.deps import STAFF_COOKIE

    client = TestClient(web_app)
    response = web_staff_login(client, web_staff_token)
    assert response.status_code == 303
    copied = client.cookies[STAFF_COOKIE]
    assert web_staff_token not in copied
    thief = TestClient(web_app, cookies={STAFF_COOKIE: copied})
    assert thief.get("/staff").status_code == 200
    client.post("/staff/logout", follow_redirects=False)
    assert thief.get("/staff").status_code == 401


def test_cookie_is_not_keyed_on_the_staff_token(web_app, web_client, web_staff_token, web_data_dir):
    import hashlib
    import hmac
    import time

    from assistant.web.deps import STAFF_COOKIE

    expires = int(time.time()) + 3600  # the old cookie: an HMAC of the expiry, keyed on the token itself
    old = f"{expires}.{hmac.new(web_staff_token.encode(), f'staff:{expires}'.encode(), hashlib.sha256).hexdigest()}"
    assert TestClient(web_app, cookies={STAFF_COOKIE: old}).get("/staff").status_code == 401
    secret = web_data_dir / "secret_key"
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    "cookie",
    [
        "9" * 5000,
        "¹²³.abc",
        "1" * 400 + ".x",
        "",
        ".",
        "a.b.c",
        "eyJ.eyJ.eyJ",
        "\u0660\u0661.\u0662",
        "%00%ff",
        "x" * 511,
        "1700000000.deadbeef",
    ],
)
def test_malformed_staff_cookies_are_401_never_500(web_app, web_client, cookie):
    from assistant.web.deps import STAFF_COOKIE

    client = TestClient(web_app, raise_server_exceptions=False)
    header = {"Cookie": f"{STAFF_COOKIE}={cookie}".encode()}  # raw bytes, as an attacker would send them
    assert client.get("/staff", headers=header).status_code == 401
    assert_error(client.get("/api/staff/gaps", headers=header), 401, "unauthorized")


def test_serve_refuses_a_public_interface_with_the_default_token(tmp_path):
    for token in ("skift-mig", ""):
        extra = {"ASSISTANT_STAFF_TOKEN": token}
        result = web_run_cli("serve", "--host", "0.0.0.0", "--port", "1", data_dir=tmp_path / "data", env_extra=extra)
        assert result.returncode != 0
        assert "ASSISTANT_STAFF_TOKEN" in result.stderr and "Traceback" not in result.stderr


# -- headers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/demo", PRIMARY.source_path, "/staff", "/docs"])
def test_every_html_page_has_csp_with_frame_ancestors(web_client, web_allowed_origin, path):
    response = web_client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    if path != "/staff":
        assert web_allowed_origin in csp  # the widget's hosts may frame the pages
    else:
        assert "frame-ancestors 'none'" in csp


# -- bounded history -------------------------------------------------------------------------------------


def test_a_long_history_is_cut_before_it_reaches_the_pipeline(web_client, monkeypatch):
    service = web_client.app.state.service
    seen = []
    real = service.assistant.ask

    def spy(question, pool=None, history=None, now=None, on_lead=None):
        seen.append(history or [])
        return real(question, pool=pool, history=history, now=now, on_lead=on_lead)

    monkeypatch.setattr(service.assistant, "ask", spy)
    # the largest history that fits under the 64 KB body limit: five messages of 10,000 characters
    history = [{"role": ("user", "assistant")[i % 2], "content": "frist " * 1666} for i in range(5)]
    response = web_client.post(
        "/api/ask", json={"question": "Og hvornår er fristen?", "pool": POOL, "history": history}
    )
    assert response.status_code == 200
    sent = seen[-1]
    assert len(sent) <= 6
    assert all(len(m["content"]) <= (2000 if m["role"] == "user" else 1000) for m in sent)


# -- answer cache ------------------------------------------------------------------------------------------


def test_repeated_questions_are_answered_from_the_cache(web_client, monkeypatch):
    service = web_client.app.state.service
    calls = []
    real = service.assistant.ask
    monkeypatch.setattr(service.assistant, "ask", lambda *a, **k: calls.append(a) or real(*a, **k))
    question = "Hvad er den maksimale ansøgningssum? (cache-test)"
    first = web_client.post("/api/ask", json={"question": question, "pool": POOL}).json()
    second = web_client.post("/api/ask", json={"question": "  " + question + " ", "pool": POOL}).json()
    assert len(calls) == 1
    assert first["answer"] == second["answer"] and first["answer_id"] != second["answer_id"]
    web_client.post("/api/ask", json={"question": question, "pool": SECOND.id})
    assert len(calls) == 2  # another pool is another key


def test_cache_key_has_the_local_date_and_is_cleared_when_the_index_changes(tmp_path):
    from assistant.models import Answer
    from assistant.web.answering import AnswerCache

    (tmp_path / "manifest.json").write_text("{}")
    cache = AnswerCache(10, tmp_path, "Europe/Copenhagen")
    late = datetime(2026, 12, 1, 22, 59, tzinfo=UTC)  # 23:59 in Copenhagen: still 1 December there
    later = late + timedelta(minutes=2)  # 00:01 on 2 December in Copenhagen
    key = cache.key("Hvornår er fristen?", POOL, [], late)
    assert key != cache.key("Hvornår er fristen?", POOL, [], later)
    assert key != cache.key("Hvornår er fristen?", POOL, [{"role": "user", "content": "Hvem kan søge?"}], late)
    assert key == cache.key(" Hvornår  er fristen? ", POOL, [], late)
    cache.put(key, Answer(question="q", pool=POOL, answer="a"))
    assert cache.get(key) is not None
    (tmp_path / "manifest.json").write_text('{"rebuilt": true}')
    assert cache.get(key) is None


# -- degraded database -----------------------------------------------------------------------------------


def test_unreachable_database_degrades_writes_not_answers(web_settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the database's folder should be")
    app = make_app(tmp_path, database_url=f"sqlite:///{blocker / 'assistant.db'}")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200
        answer = client.post("/api/ask", json={"question": "Hvornår er ansøgningsfristen?", "pool": POOL})
        assert answer.status_code == 200 and "7. august 2025" in answer.json()["answer"]
        chat = client.post("/api/chat", json={"question": "Hvem kan søge?", "pool": POOL})
        assert chat.status_code == 200
        feedback = client.post("/api/feedback", json={"answer_id": answer.json()["answer_id"], "vote": "up"})
        error = assert_error(feedback, 503, "database_unavailable")
        assert "Databasen" in error["message_da"]
        ready = assert_error(client.get("/readyz"), 503, "database_unavailable")
        assert "OperationalError" in ready["message_en"]


# -- retention and erasure ---------------------------------------------------------------------------------


def _age_rows(db, days: int) -> None:
    old = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE questions SET created_at = ?", (old,))
        conn.execute("UPDATE feedback SET created_at = ?", (old,))
        conn.execute("UPDATE chat_sessions SET updated_at = ?", (old,))


def test_purge_command_deletes_what_is_older_than_the_retention(web_settings, tmp_path):
    db = tmp_path / "data" / "assistant.db"
    app = make_app(tmp_path)
    with TestClient(app) as client:
        old = client.post("/api/chat", json={"question": "Hvem kan søge? Jeg hedder Anna", "pool": POOL}).json()
        client.post("/api/feedback", json={"answer_id": old["answer_id"], "vote": "down", "comment": "gammel"})
        _age_rows(db, 91)
        new = client.post("/api/ask", json={"question": "Hvornår er fristen?", "pool": POOL}).json()
    result = web_run_cli("purge", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "1 spørgsmål og svar" in result.stdout
    with sqlite3.connect(db) as conn:
        ids = {r[0] for r in conn.execute("SELECT answer_id FROM questions")}
        assert ids == {new["answer_id"]}
        assert conn.execute("SELECT count(*) FROM feedback").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM chat_sessions").fetchone() == (0,)
    assert web_run_cli("purge", "--days", "0", data_dir=tmp_path / "data").returncode == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone() == (0,)


def test_server_purges_at_start_and_retention_zero_keeps_nothing(web_settings, tmp_path):
    db = tmp_path / "data" / "assistant.db"
    with TestClient(make_app(tmp_path)) as client:
        client.post("/api/ask", json={"question": "Hvem kan søge?", "pool": POOL})
        _age_rows(db, 200)
    with TestClient(make_app(tmp_path)) as client:  # the daily purge runs at start
        assert client.get("/readyz").status_code == 200
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone() == (0,)
    with TestClient(make_app(tmp_path, retention_days=0)) as client:
        answer = client.post("/api/ask", json={"question": "Hvem kan søge?", "pool": POOL}).json()
        assert client.post("/api/feedback", json={"answer_id": answer["answer_id"], "vote": "up"}).status_code == 200
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM questions").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM feedback").fetchone() == (0,)


def test_staff_can_erase_a_conversation_by_id(web_client, web_db_path, web_staff_token):
    auth = {"Authorization": f"Bearer {web_staff_token}"}
    first = web_client.post("/api/chat", json={"question": "Hvem kan søge?", "pool": POOL}).json()
    session = first["session_id"]
    web_client.post("/api/chat", json={"question": "Og fristen?", "pool": POOL, "session_id": session})
    web_client.post("/api/feedback", json={"answer_id": first["answer_id"], "vote": "down"})
    assert_error(web_client.delete(f"/api/staff/conversations/{session}"), 401, "unauthorized")
    response = web_client.delete(f"/api/staff/conversations/{session}", headers=auth)
    assert response.status_code == 200 and response.json()["deleted"] >= 4
    with sqlite3.connect(web_db_path) as conn:
        assert conn.execute("SELECT count(*) FROM questions WHERE session_id = ?", (session,)).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM feedback WHERE answer_id = ?", (first["answer_id"],)).fetchone() == (
            0,
        )
        assert conn.execute("SELECT count(*) FROM chat_sessions WHERE session_id = ?", (session,)).fetchone() == (0,)
    page = web_client.get("/staff", headers=auth).text
    assert 'action="/staff/erase"' in page and "Slet" in page


def test_the_page_states_the_retention(web_client):
    page = web_client.get("/")
    assert page.status_code == 200 and "90 dage" in page.text


# -- logs --------------------------------------------------------------------------------------------------


def test_access_log_has_no_query_strings(web_client, caplog):
    with caplog.at_level(logging.INFO, logger="assistant.web.access"):
        web_client.get(PRIMARY.source_path, params={"quote": "CPR 010190-1234 hemmelig"})
    lines = [r.getMessage() for r in caplog.records if r.name == "assistant.web.access"]
    assert any(f"{PRIMARY.source_path} 200" in line for line in lines)
    assert not any("hemmelig" in line or "quote" in line or "010190" in line for line in lines)


# -- fair answering slots ------------------------------------------------------------------------------------


def _in_thread(target):
    import threading

    done = threading.Event()
    thread = threading.Thread(target=lambda: (target(), done.set()), daemon=True)
    thread.start()
    return done


def test_fair_gate_keeps_a_slot_free_of_expensive_inputs_and_one_answer_per_client():
    from assistant.web.answering import HEAVY_CHARS, FairGate

    gate = FairGate(2)
    gate.acquire("abuser-1", heavy=True, timeout=1)
    second_abuser = _in_thread(lambda: gate.acquire("abuser-2", heavy=True, timeout=5))
    assert not second_abuser.wait(0.3)  # the last slot is kept for ordinary questions
    ordinary = _in_thread(
        lambda: gate.release("applicant", False, 0.01) if gate.acquire("applicant", False, 5) is None else None
    )
    assert ordinary.wait(2)
    gate.release("abuser-1", True, 2.0)
    assert second_abuser.wait(2)
    gate.release("abuser-2", True, 2.0)
    # one answer at a time per client
    gate.acquire("same", heavy=False, timeout=1)
    again = _in_thread(lambda: gate.acquire("same", heavy=False, timeout=5))
    assert not again.wait(0.3)
    gate.release("same", False, 0.01)
    assert again.wait(2)
    gate.release("same", False, 0.01)
    assert gate.run("x", HEAVY_CHARS + 1, 1, lambda left: left) > 0


def test_fair_gate_serves_the_client_that_used_least_first():
    import threading

    from assistant.web.answering import FairGate

    gate = FairGate(1)
    gate.acquire("greedy", heavy=False, timeout=1)
    gate.release("greedy", False, 30.0)  # used 30 s of answering lately
    gate.acquire("holder", heavy=False, timeout=1)
    order = []
    threads = [
        threading.Thread(target=lambda c=c: (gate.acquire(c, False, 5), order.append(c), gate.release(c, False, 0.01)))
        for c in ("greedy", "modest")
    ]
    threads[0].start()
    time.sleep(0.1)
    threads[1].start()  # arrives later, but has used nothing
    time.sleep(0.1)
    gate.release("holder", False, 0.01)
    for thread in threads:
        thread.join(5)
    assert order == ["modest", "greedy"]
