"""Alembic migrations of the web database (questions, feedback, chat and staff sessions)."""
