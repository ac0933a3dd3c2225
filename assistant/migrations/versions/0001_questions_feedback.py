"""The question log and feedback (the schema the first release created with create_all)."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("answer_id", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("pool", sa.String(100), nullable=True, index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("abstained", sa.Boolean, nullable=False, index=True),
        sa.Column("citations", sa.Text, nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("answer_id", sa.String(64), sa.ForeignKey("questions.answer_id"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vote", sa.String(4), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("questions")
