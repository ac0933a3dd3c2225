"""OpenAPI response declarations shared by the routers."""

from assistant.web.schemas import ErrorResponse

ERRORS = {404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}
UNAUTHORIZED = {401: {"model": ErrorResponse}}
NOT_READY = {503: {"model": ErrorResponse}}
LIMITED = {**ERRORS, 429: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}
