from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.db import Base, Database, import_models


def test_the_migrations_build_exactly_the_models(db: Database) -> None:
    import_models()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrading_twice_changes_nothing(db: Database) -> None:
    db.create_schema()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert "faqs" in inspect(connection).get_table_names()
