"""Errors at the HTTP edge: every failure leaves as {"error": {code, message_da, message_en}}; traces stay
in the log."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import (
    AssistantError,
    DatabaseUnavailable,
    IndexMissing,
    IndexStale,
    InvalidQuestion,
    UnknownAnswer,
    UnknownPool,
    UnknownSection,
)
from assistant.web.schemas import ErrorDetail, ErrorResponse

logger = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message_da: str, message_en: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message_en)
        self.status, self.code, self.message_da, self.message_en, self.headers = (
            status,
            code,
            message_da,
            message_en,
            headers,
        )


INTERNAL_DA = "Der skete en uventet fejl hos Tilskudsassistenten. Prøv igen om lidt."
INTERNAL_EN = "An unexpected error occurred. Please try again later."
NOT_READY = ApiError(
    503,
    "not_ready",
    "Tilskudsassistenten starter op. Prøv igen om et øjeblik.",
    "The assistant is starting; try again in a moment.",
)


ANSWER_TIMEOUT = ApiError(
    503,
    "timeout",
    "Svaret tog for lang tid at finde. Prøv igen om lidt, eventuelt med et kortere spørgsmål.",
    "Answering took too long; try again.",
)


def error_json(
    status: int, code: str, message_da: str, message_en: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorResponse(error=ErrorDetail(code=code, message_da=message_da, message_en=message_en))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def _split_bilingual(message: str) -> tuple[str, str]:
    # The library writes "Dansk besked. / English message." (assistant.validate_question and friends).
    if " / " in message:
        da, en = message.rsplit(" / ", 1)
        return da.strip(), en.strip()
    return message, message


def assistant_error(exc: AssistantError) -> ApiError:
    if isinstance(exc, InvalidQuestion):
        return ApiError(422, "invalid_question", *_split_bilingual(str(exc)))
    if isinstance(exc, UnknownPool):
        return ApiError(404, "unknown_pool", str(exc), "Unknown pool; GET /api/pools lists the known pools.")
    if isinstance(exc, UnknownSection):
        return ApiError(404, "unknown_section", str(exc), "Unknown document or section.")
    if isinstance(exc, UnknownAnswer):
        return ApiError(404, "unknown_answer", str(exc), "Unknown answer_id; feedback must refer to a given answer.")
    if isinstance(exc, DatabaseUnavailable):
        return ApiError(
            503,
            "database_unavailable",
            "Databasen er ikke tilgængelig lige nu, så det kunne ikke gemmes. Spørgsmål besvares stadig. "
            "Prøv igen om lidt.",
            "The database is unavailable; nothing could be stored. Questions are still answered.",
            headers={"Retry-After": "30"},
        )
    if isinstance(exc, (IndexMissing, IndexStale)):
        return ApiError(
            503,
            "index_unavailable",
            "Søgeindekset er ikke klar. Prøv igen om lidt.",
            "The search index is not available.",
        )
    return ApiError(500, "internal_error", INTERNAL_DA, INTERNAL_EN)


def _validation_message_da(error: dict) -> str:
    loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
    field = f"Feltet »{'.'.join(loc)}«" if loc else "Forespørgslen"
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"{field} mangler."
    if kind == "json_invalid":
        return "Forespørgslen er ikke gyldig JSON."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "Forespørgslen skal være et JSON-objekt."
    if kind == "extra_forbidden":
        return f"{field} kendes ikke og må ikke sendes med."
    if kind in ("string_too_long", "too_long"):
        unit = "tegn." if kind == "string_too_long" else "elementer."
        return f"{field} er for langt: højst {ctx.get('max_length', '?')} {unit}"
    if kind in ("string_too_short", "too_short"):
        return f"{field} er for kort eller tomt."
    if kind == "literal_error":
        return f"{field} skal være en af: {ctx.get('expected', '')}."
    if kind == "string_pattern_mismatch":
        return f"{field} har et ugyldigt format."
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{field} har en forkert type."
    return f"{field} er ugyldigt."


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        f"Du har sendt mange forespørgsler på kort tid. Vent {retry_after} sekunder, og prøv igen.",
        f"Too many requests; retry after {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


HTTP_TEXTS = {
    404: ("not_found", "Siden eller ressourcen findes ikke.", "Not found."),
    405: ("method_not_allowed", "Metoden er ikke tilladt her.", "Method not allowed."),
    403: ("forbidden", "Det er ikke tilladt her (fx at sende filer).", "Forbidden (file uploads are disabled)."),
    408: (
        "request_timeout",
        "Forespørgslen kom ikke frem i tide. Prøv igen.",
        "The request body did not arrive in time.",
    ),
    413: (
        "body_too_large",
        "Forespørgslen er for stor. Skriv et kortere spørgsmål (højst 2000 tegn).",
        "The request body is too large.",
    ),
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_json(exc.status, exc.code, exc.message_da, exc.message_en, exc.headers)

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        mapped = assistant_error(exc)
        if mapped.status >= 500 and mapped.code != "database_unavailable":
            logger.error("%s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
        return error_json(mapped.status, mapped.code, mapped.message_da, mapped.message_en, mapped.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        message_en = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}" for e in errors[:3])
        return error_json(422, "invalid_request", _validation_message_da(first), message_en or "Invalid request.")

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        default = ("http_error", "Forespørgslen kunne ikke behandles.", str(exc.detail))
        code, da, en = HTTP_TEXTS.get(exc.status_code, default)
        return error_json(exc.status_code, code, da, en, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_json(500, "internal_error", INTERNAL_DA, INTERNAL_EN)
