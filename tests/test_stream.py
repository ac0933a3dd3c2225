"""The chat stream: the direct answer is the first text sent and the quotes follow; an answer that fails
after the stream has opened ends in a Danish `error` event."""

from __future__ import annotations

import json
import time

from assistant.errors import DatabaseUnavailable
from tests.corpus_pools import PRIMARY


def events_of(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if line.startswith(("event: ", "data: ")))
        if "event" in fields:
            events.append((fields["event"], json.loads(fields["data"])))
    return events


def test_stream_sends_the_direct_answer_first_and_the_quotes_after(web_client):
    response = web_client.post("/api/chat/stream", json={"question": "Hvornår er fristen?", "pool": PRIMARY.id})
    events = events_of(response.text)
    deltas = [data["text"] for name, data in events if name == "delta"]
    answer = dict(events)["answer"]["answer"]
    assert deltas[0] == answer.split("\n")[0] + "\n"  # the direct answer, on its own
    assert "«" not in deltas[0] and any("«" in d for d in deltas[1:])
    assert "".join(deltas) == answer


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
