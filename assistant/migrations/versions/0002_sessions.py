"""Chat and staff sessions in the database, so replicas continue each other's chats and logins; the
conversation id on each logged question, so staff can erase a whole conversation."""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chat_sessions",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("messages", sa.Text, nullable=False),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    with op.batch_alter_table("questions") as batch:
        batch.add_column(sa.Column("session_id", sa.String(64), nullable=True))
        batch.create_index("ix_questions_session_id", ["session_id"])


def downgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.drop_index("ix_questions_session_id")
        batch.drop_column("session_id")
    op.drop_table("staff_sessions")
    op.drop_table("chat_sessions")
