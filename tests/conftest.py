import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.db import Base, Database, import_models
from bot.settings import Settings

POSTGRES_URL = os.environ.get(
    "HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FIXTURES = Path(__file__).parent / "fixtures"
DEMO_KB = Path(__file__).parent.parent / "knowledge_base" / "demo" / "faq.csv"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Port 9 (discard) has nothing listening: the engine is "down" unless a test starts one.
    return Settings(data_dir=tmp_path, engine_url="http://127.0.0.1:9", engine_timeout=2)


def _postgres_reachable() -> bool:
    engine = create_engine(POSTGRES_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    if not _postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    return POSTGRES_URL


def _drop_everything(database: Database) -> None:
    import_models()
    Base.metadata.drop_all(database.engine)
    with database.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    _drop_everything(database)  # a shared PostgreSQL database may hold an earlier run's tables
    database.create_schema()
    yield database
    _drop_everything(database)
    database.dispose()
