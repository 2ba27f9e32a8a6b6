"""consoles: users, login sessions and attempts; every KB question logged (kb_questions)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 22:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The unanswered log becomes the log of every question (answers too, for the dashboard).
    with op.batch_alter_table("unanswered_queries", schema=None) as batch_op:
        batch_op.drop_index("ix_unanswered_queries_decision")
        batch_op.drop_index("ix_unanswered_queries_created_at")
    op.rename_table("unanswered_queries", "kb_questions")
    with op.batch_alter_table("kb_questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("faq_id", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_kb_questions_decision", ["decision"], unique=False)
        batch_op.create_index("ix_kb_questions_created_at", ["created_at"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "login_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("login_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_login_sessions_user_id", ["user_id"], unique=False)
        batch_op.create_index("ix_login_sessions_expires_at", ["expires_at"], unique=False)
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempts_username", ["username"], unique=False)
        batch_op.create_index("ix_login_attempts_address", ["address"], unique=False)
        batch_op.create_index("ix_login_attempts_at", ["at"], unique=False)


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.drop_table("login_sessions")
    op.drop_table("users")
    with op.batch_alter_table("kb_questions", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_questions_created_at")
        batch_op.drop_index("ix_kb_questions_decision")
        batch_op.drop_column("faq_id")
    op.rename_table("kb_questions", "unanswered_queries")
    with op.batch_alter_table("unanswered_queries", schema=None) as batch_op:
        batch_op.create_index("ix_unanswered_queries_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_unanswered_queries_decision", ["decision"], unique=False)
