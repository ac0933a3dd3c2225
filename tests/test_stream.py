"""The chat stream: the direct answer is the first text sent — for a fact answer as soon as the rules know it,
before retrieval and quoting — and the quotes follow; the contract of the first release still holds; a lead
the guard does not keep is taken back in the final event; a failure after the stream opened ends in a Danish
`error` event. Real HTTP servers: uvicorn in this process (so the quoting can be slowed) and `assistant serve`
with answering processes (so the lead crosses a process boundary)."""

from __future__ import annotations

import importlib
import json
import threading
import time

import httpx
import pytest

from assistant.errors import DatabaseUnavailable
from assistant.pipeline.compose import ENGLISH_NOTE
from assistant.pipeline.guard import WITHHELD
from assistant.settings import Settings
from tests.conftest import web_free_port
from tests.corpus_pools import PRIMARY

POOL = PRIMARY.id
SLOW_QUOTING_SECONDS = 1.5
# A fact question with topic words of its own, so passages are retrieved and quoted after the rules answer.
FACT_AND_TOPIC = f"Hvad er fristen for at sende ansøgningen til {PRIMARY.short_name}, hvis portalen ikke virker?"


def events_of(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line.startswith(("event: ", "data: ")))
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


def timed_events(url: str, body: dict) -> list[tuple[float, str, dict]]:
    """The stream's events with the time each arrived, read as they come off the socket."""
    started, out, block = time.monotonic(), [], []
    with httpx.stream("POST", url + "/api/chat/stream", json=body, timeout=60) as response:
        assert response.status_code == 200, response.read()
        for line in response.iter_lines():
            if line:
                block.append(line)
                continue
            [(name, data)] = events_of("\n".join(block)) or [(None, None)]
            block = []
            if name:
                out.append((time.monotonic() - started, name, data))
    return out


@pytest.fixture(scope="module")
def live(web_settings, tmp_path_factory):
    """The app under uvicorn on a real socket, in this process, so a test can slow a pipeline step down."""
    import uvicorn

    from assistant.web import create_app

    data = tmp_path_factory.mktemp("stream") / "data"
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'assistant.db'}", answer_cache_size=0)
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=web_free_port(), log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 180
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{server.config.port}", app.state.service
    server.should_exit = True
    thread.join(30)


def test_a_fact_answer_streams_its_direct_line_before_the_quotes_are_found(live, monkeypatch):
    url, service = live
    pipeline = service.assistant.pipeline
    quote, quoted = pipeline.quote, []

    def slow_quote(*args):
        quoted.append(time.monotonic())
        time.sleep(SLOW_QUOTING_SECONDS)
        return quote(*args)

    monkeypatch.setattr(pipeline, "quote", slow_quote)
    events = timed_events(url, {"question": FACT_AND_TOPIC, "pool": POOL})
    assert quoted, "the question must reach retrieval and quoting, or the test shows nothing"
    names = [name for _, name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["answer", "done"]
    [(lead_at, _, lead)] = [e for e in events if e[1] == "delta"][:1]
    quotes_at = next(at for at, name, data in events if name == "delta" and "«" in data["text"])
    answer = events[-2][2]["answer"]
    assert "«" not in lead["text"] and lead["text"].startswith(f"Ansøgningsfristen for {PRIMARY.short_name} er")
    # Sent while the quotes were still being made, not sliced off a finished answer.
    assert quotes_at - lead_at >= SLOW_QUOTING_SECONDS * 0.8
    assert "".join(data["text"] for _, name, data in events if name == "delta") == answer
    assert events[-1][2] == {}


def test_a_lead_the_guard_does_not_keep_is_withdrawn_in_the_final_event(live, monkeypatch):
    url, _ = live
    # The guard finds the fact's quote no longer in its section (facts.yaml out of step with the documents):
    # the lead is already sent, the finished answer is withheld.
    monkeypatch.setattr(importlib.import_module("assistant.pipeline.guard"), "is_verbatim", lambda *args: False)
    events = timed_events(url, {"question": FACT_AND_TOPIC, "pool": POOL})
    deltas = [data["text"] for _, name, data in events if name == "delta"]
    answer = next(data for _, name, data in events if name == "answer")
    assert deltas[0].startswith("Ansøgningsfristen") and answer["answer"] == WITHHELD and answer["abstained"]
    assert [name for _, name, _ in events][-1] == "done" and events[-1][2] == {"lead_withdrawn": True}


def test_the_first_release_contract_holds_with_answering_processes(web_server):
    """meta, delta …, answer, done; the deltas make the answer; the lead comes from an answering process."""
    question = f"When does the application window close for the {PRIMARY.short_name} pool?"
    response = httpx.post(web_server.url + "/api/chat/stream", json={"question": question}, timeout=60)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = events_of(response.text)
    names = [name for name, _ in events]
    assert names[0] == "meta" and names[-2:] == ["answer", "done"] and set(names[1:-2]) == {"delta"}
    deltas = [data["text"] for name, data in events if name == "delta"]
    answer = dict(events)["answer"]
    assert "".join(deltas) == answer["answer"] and answer["citations"]
    assert answer["session_id"] == events[0][1]["session_id"] and answer["answer_id"] == events[0][1]["answer_id"]
    # The early lead (the fact, then the English note), not the first line the stream falls back on.
    assert deltas[0].startswith(f"The application deadline for {PRIMARY.short_name} is") and ENGLISH_NOTE in deltas[0]
    follow = httpx.post(
        web_server.url + "/api/chat/stream",
        json={"question": "Og hvem kan søge?", "session_id": answer["session_id"]},
        timeout=60,
    )
    assert dict(events_of(follow.text))["answer"]["session_id"] == answer["session_id"]


def test_stream_sends_the_direct_answer_first_and_the_quotes_after(web_client):
    response = web_client.post("/api/chat/stream", json={"question": "Hvornår er fristen?", "pool": POOL})
    events = events_of(response.text)
    deltas = [data["text"] for name, data in events if name == "delta"]
    answer = dict(events)["answer"]["answer"]
    assert deltas[0] == answer.split("\n")[0]  # the direct answer, on its own
    assert "«" not in deltas[0] and any("«" in d for d in deltas[1:])
    assert "".join(deltas) == answer


def test_a_refused_question_is_still_a_json_error_before_any_stream(web_client):
    response = web_client.post("/api/chat/stream", json={"question": "Hvem kan søge?", "pool": "findes-ikke"})
    assert response.status_code == 404 and response.json()["error"]["message_da"]


def test_a_failure_after_the_stream_opened_is_a_danish_error_event(web_client, monkeypatch):
    service = web_client.app.state.service

    def slow_failure(*args, **kwargs):
        time.sleep(1.0)  # longer than the wait for a quick refusal: the stream is already open
        raise DatabaseUnavailable("nede")

    monkeypatch.setattr(service, "chat", slow_failure)
    response = web_client.post("/api/chat/stream", json={"question": "Hvem kan søge?"})
    assert response.status_code == 200
    [(name, data)] = events_of(response.text)
    assert name == "error" and data["code"] == "database_unavailable" and data["message_da"]
