"""PostgreSQL for real: two `assistant serve` processes on one throw-away PostgreSQL continue each other's
chats, share staff logins and see each other's gap lists; the database going away or read-only degrades
writes only, and the server recovers when it returns."""

from __future__ import annotations

import time

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings
from tests.conftest import web_staff_login
from tests.corpus_pools import PRIMARY

POOL = PRIMARY.id
SHARED_SECRET = "replicas-share-this-secret-key-0123456789"


def test_two_servers_on_one_postgres_continue_each_others_chats(web_postgres, web_server_factory, web_staff_token):
    url = web_postgres.url(web_postgres.database())
    env = {"ASSISTANT_DATABASE_URL": url, "ASSISTANT_SECRET_KEY": SHARED_SECRET}
    a = web_server_factory(workers=1, env_extra=env)
    b = web_server_factory(workers=1, env_extra=env)
    with httpx.Client(base_url=a.url, timeout=60) as on_a, httpx.Client(base_url=b.url, timeout=60) as on_b:
        first = on_a.post("/api/chat", json={"question": f"Hvem kan søge {PRIMARY.short_name}?", "pool": POOL}).json()
        session = first["session_id"]
        second = on_b.post("/api/chat", json={"question": "Og hvornår er fristen?", "session_id": session})
        assert second.status_code == 200, second.text
        assert second.json()["session_id"] == session  # B knew A's session
        assert second.json()["pool"] == POOL  # the pool came from the conversation A held
        [(messages,)] = web_postgres.execute(
            f"SELECT messages FROM chat_sessions WHERE session_id = '{session}'", url.rsplit("/", 1)[1]
        )
        assert messages.count('"role": "user"') == 2

        # gaps: a thumbs-down given on A and an abstained question asked on B are on both lists
        on_a.post("/api/feedback", json={"answer_id": first["answer_id"], "vote": "down", "comment": "via A"})
        moon = on_b.post("/api/ask", json={"question": "Hvad koster en billet til månen?", "pool": POOL}).json()
        auth = {"Authorization": f"Bearer {web_staff_token}"}
        for client in (on_a, on_b):
            ids = {g["answer_id"] for g in client.get("/api/staff/gaps", headers=auth).json()["items"]}
            assert first["answer_id"] in ids
            if moon["abstained"]:
                assert moon["answer_id"] in ids

        # a staff login on A works on B; logging out on B ends it on A
        login = web_staff_login(on_a, web_staff_token)
        assert login.status_code == 303
        cookie = login.cookies["tilskud_staff"]
        with httpx.Client(base_url=b.url, cookies={"tilskud_staff": cookie}) as staff_on_b:
            assert staff_on_b.get("/staff").status_code == 200
            staff_on_b.post("/staff/logout", follow_redirects=False)
        with httpx.Client(base_url=a.url, cookies={"tilskud_staff": cookie}) as staff_on_a:
            assert staff_on_a.get("/staff").status_code == 401


def _wait_ready(client: TestClient, status: int, seconds: float = 30) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/readyz")
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.5)


def test_postgres_down_at_start_then_back_and_read_only(web_postgres, web_settings, tmp_path):
    from assistant.web import create_app

    name = web_postgres.database()
    settings = Settings(data_dir=tmp_path / "data", database_url=web_postgres.url(name))
    web_postgres.stop()
    try:
        app = create_app(settings)
        with TestClient(app, raise_server_exceptions=False) as client:
            assert client.get("/healthz").status_code == 200  # it started without its database
            answer = client.post("/api/ask", json={"question": "Hvornår er ansøgningsfristen?", "pool": POOL})
            assert answer.status_code == 200 and "7. august 2025" in answer.json()["answer"]
            feedback = client.post("/api/feedback", json={"answer_id": answer.json()["answer_id"], "vote": "up"})
            assert feedback.status_code == 503 and feedback.json()["error"]["code"] == "database_unavailable"
            assert "Databasen" in feedback.json()["error"]["message_da"]
            ready = client.get("/readyz")
            assert ready.status_code == 503 and "OperationalError" in ready.json()["error"]["message_en"]

            web_postgres.start()
            assert _wait_ready(client, 200).status_code == 200  # schema migrated on the way back
            answer = client.post("/api/ask", json={"question": "Hvem kan søge?", "pool": POOL}).json()
            assert (
                client.post("/api/feedback", json={"answer_id": answer["answer_id"], "vote": "up"}).status_code == 200
            )

            web_postgres.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
            web_postgres.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            ready = _wait_ready(client, 503)
            assert ready.status_code == 503 and "read-only" in ready.json()["error"]["message_en"]
            answer = client.post("/api/ask", json={"question": "Hvem kan søge?", "pool": POOL})
            assert answer.status_code == 200
            feedback = client.post("/api/feedback", json={"answer_id": answer.json()["answer_id"], "vote": "up"})
            assert feedback.status_code == 503

            web_postgres.execute(f"ALTER DATABASE {name} SET default_transaction_read_only = off")
            web_postgres.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            assert _wait_ready(client, 200).status_code == 200
    finally:
        try:
            web_postgres.start()
        except Exception:
            pass  # already running


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_alembic_upgrades_a_first_release_database(backend, web_postgres, tmp_path):
    """A database made by the first release (create_all, no alembic_version) is stamped and upgraded."""
    from sqlalchemy import create_engine, inspect, text

    from assistant.storage import Storage

    url = f"sqlite:///{tmp_path / 'old.db'}" if backend == "sqlite" else web_postgres.url(web_postgres.database())
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE questions (answer_id VARCHAR(64) PRIMARY KEY, created_at TIMESTAMP NOT NULL, "
                "channel VARCHAR(16) NOT NULL, pool VARCHAR(100), question TEXT NOT NULL, answer TEXT NOT "
                "NULL, abstained BOOLEAN NOT NULL, citations TEXT NOT NULL)"
            )
        )
        conn.execute(
            text(
                "CREATE TABLE feedback (id INTEGER PRIMARY KEY, answer_id VARCHAR(64) NOT NULL "
                "REFERENCES questions(answer_id), created_at TIMESTAMP NOT NULL, vote VARCHAR(4) NOT NULL, "
                "comment TEXT)"
            )
        )
    storage = Storage(url)
    assert storage.connect(), storage.problem
    tables = set(inspect(engine).get_table_names())
    assert {"alembic_version", "chat_sessions", "staff_sessions"} <= tables
    assert "session_id" in {c["name"] for c in inspect(engine).get_columns("questions")}
    storage.log_question(answer_id="a", question="q", pool=None, channel="api", answer="x", abstained=True)
    assert [g.answer_id for g in storage.gaps()] == ["a"]
    engine.dispose()
    storage.close()
