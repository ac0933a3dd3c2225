"""Questions: one-shot ask, chat with a server-side session, the chat as a stream, feedback."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError
from assistant.web.deps import Client, Service
from assistant.web.errors import INTERNAL_DA, INTERNAL_EN, ApiError, assistant_error
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
logger = logging.getLogger(__name__)

REFUSAL_WAIT_SECONDS = 0.5

STREAM_DOC = {
    200: {
        "content": {"text/event-stream": {}},
        "description": (
            "Hændelser: meta (session_id, answer_id), delta (først det direkte svar – sendt, så snart det kendes, "
            "for faktasvar før citaterne er fundet – så citaterne), answer (hele svaret som JSON), done. "
            "Hvis det færdige svar ikke begynder med det direkte svar, der allerede er sendt (kontrollen af svaret "
            'holdt det tilbage), er done {"lead_withdrawn": true}: vis da kun svaret fra answer. '
            "error med message_da, hvis svaret fejler undervejs."
        ),
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
    loop = asyncio.get_running_loop()
    progress: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    lead_known = asyncio.Event()

    # Called from the answering thread (or the lead relay's): hand over to the event loop, never block.
    def started(session_id: str, answer_id: str) -> None:
        loop.call_soon_threadsafe(progress.put_nowait, ("meta", {"session_id": session_id, "answer_id": answer_id}))

    def on_lead(text: str) -> None:
        loop.call_soon_threadsafe(progress.put_nowait, ("lead", text))
        loop.call_soon_threadsafe(lead_known.set)

    answering = asyncio.ensure_future(
        run_in_threadpool(service.chat, body.question, body.pool, body.session_id, "chat", client, started, on_lead)
    )
    # A refused question (empty, too long, unknown pool) fails at once, so it still gets a 4xx JSON body;
    # a lead or anything slower is an answer being made, and the stream opens while it is.
    lead_waiting = asyncio.ensure_future(lead_known.wait())
    done, _ = await asyncio.wait(
        {answering, lead_waiting}, timeout=REFUSAL_WAIT_SECONDS, return_when=asyncio.FIRST_COMPLETED
    )
    lead_waiting.cancel()
    if answering in done:
        answering.result()

    async def events():
        # The response headers go out before this runs: the client knows at once that it is being answered.
        sent_meta, lead = False, None
        while not answering.done() or not progress.empty():
            getting = asyncio.ensure_future(progress.get())
            await asyncio.wait({getting, answering}, return_when=asyncio.FIRST_COMPLETED)
            if not getting.done():
                getting.cancel()
                continue
            kind, data = getting.result()
            if kind == "meta" and not sent_meta:
                sent_meta = True
                yield sse("meta", data)
            elif kind == "lead" and lead is None:
                lead = data  # the direct answer, known before the quotes (`started` always comes first)
                yield sse("delta", {"text": lead})
        try:
            response = answering.result()
        except ApiError as exc:
            yield sse("error", {"code": exc.code, "message_da": exc.message_da, "message_en": exc.message_en})
            return
        except AssistantError as exc:
            mapped = assistant_error(exc)
            yield sse("error", {"code": mapped.code, "message_da": mapped.message_da, "message_en": mapped.message_en})
            return
        except Exception:
            logger.exception("chat stream: unexpected error")
            yield sse("error", {"code": "internal", "message_da": INTERNAL_DA, "message_en": INTERNAL_EN})
            return
        if not sent_meta:
            yield sse("meta", {"session_id": response.session_id, "answer_id": response.answer_id})
        withdrawn = lead is not None and not response.answer.startswith(lead)
        if lead is None:
            # No lead came early (a quoted answer, a cached one): the direct answer is the first line.
            lead = response.answer.partition("\n")[0]
            yield sse("delta", {"text": lead})
        if not withdrawn:
            for piece in sentence_pieces(response.answer[len(lead) :]):
                yield sse("delta", {"text": piece})
                await asyncio.sleep(0)
        yield sse("answer", response.model_dump(mode="json"))
        # The guard checks the finished answer only: a lead it did not keep is taken back here, at the end.
        yield sse("done", {"lead_withdrawn": True} if withdrawn else {})

    # sse-starlette frames the events, sets the no-cache/no-buffering headers and stops on disconnect.
    return EventSourceResponse(events(), sep="\n", ping=15)


@router.post("/api/feedback", response_model=FeedbackResponse, responses=LIMITED)
async def feedback(body: FeedbackRequest, service: Service, client: Client) -> FeedbackResponse:
    # Answered only after the row is committed (fsynced on SQLite): a 200 means it is stored.
    feedback_id = await run_in_threadpool(service.feedback, body.answer_id, body.vote, body.comment)
    return FeedbackResponse(feedback_id=feedback_id)
