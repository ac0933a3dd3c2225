"""The HTTP edge: FastAPI app factory, routes, templates and the gradio applicant page."""

from assistant.web.app import create_app

__all__ = ["create_app"]
