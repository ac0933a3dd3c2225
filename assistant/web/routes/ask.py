"""Questions: one-shot ask, chat with a server-side session, the chat as a stream, feedback."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from assistant.web.deps import Client, Service
from assistant.web.responses import LIMITED
from assistant.web.schemas import (
    AskRequest,
    AskResponse,
    ChatRequest,
    ChatResponse,
    FeedbackRequest,
    FeedbackResponse,
)

router = APIRouter(tags=["spørgsmål"])

STREAM_DOC = {
    200: {
        "content": {"text/event-stream": {}},
        "description": "Hændelser: meta, delta (tekststykker), answer (hele svaret som JSON), done.",
    }
}


def sentence_pieces(text: str) -> list[str]:
    """The answer in sentence-sized pieces that concatenate back to exactly the answer."""
    parts = re.split(r"(?<=[.!?)»])(\s+)", text)
    pieces = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    return [p for p in pieces if p]


def sse(event: str, data: Any) -> ServerSentEvent:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return ServerSentEvent(payload, event=event, sep="\n")  # LF framing, as the first release sent


@router.post("/api/ask", response_model=AskResponse, responses=LIMITED)
async def ask(body: AskRequest, service: Service, client: Client) -> AskResponse:
    history = [m.model_dump() for m in body.history]
    return await run_in_threadpool(service.ask, body.question, body.pool, history, "api", None, client)


@router.post("/api/chat", response_model=ChatResponse, responses=LIMITED)
async def chat(body: ChatRequest, service: Service, client: Client) -> ChatResponse:
    return await run_in_threadpool(service.chat, body.question, body.pool, body.session_id, "chat", client)


@router.post(
    "/api/chat/stream",
    response_class=EventSourceResponse,
    responses={**LIMITED, **STREAM_DOC},
)
async def chat_stream(body: ChatRequest, service: Service, client: Client) -> EventSourceResponse:
    # The answer is composed before the stream starts, so a bad question still gets a 4xx JSON body.
    response = await run_in_threadpool(service.chat, body.question, body.pool, body.session_id, "chat", client)

    async def events():
        yield sse("meta", {"session_id": response.session_id, "answer_id": response.answer_id})
        for piece in sentence_pieces(response.answer):
            yield sse("delta", {"text": piece})
            await asyncio.sleep(0)
        yield sse("answer", response.model_dump(mode="json"))
        yield sse("done", {})

    # sse-starlette frames the events, sets the no-cache/no-buffering headers and stops on disconnect.
    return EventSourceResponse(events(), sep="\n", ping=15)


@router.post("/api/feedback", response_model=FeedbackResponse, responses=LIMITED)
async def feedback(body: FeedbackRequest, service: Service, client: Client) -> FeedbackResponse:
    # Answered only after the row is committed (fsynced on SQLite): a 200 means it is stored.
    feedback_id = await run_in_threadpool(service.feedback, body.answer_id, body.vote, body.comment)
    return FeedbackResponse(feedback_id=feedback_id)
