"""SQLAlchemy engine and sessions: SQLite under the data dir by default, PostgreSQL by URL."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, text
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Session, sessionmaker


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def recent_failures(
    session: Session, key: InstrumentedAttribute, value: str, since: datetime
) -> int:
    """Failed attempts with ``key == value`` since ``since``, in a table of attempts (columns
    ``success`` and ``at``). Callers write their own attempt as a failure first and count it,
    so parallel attempts all see each other; a success is marked afterwards."""
    table = key.class_
    query = select(func.count()).where(key == value, table.success.is_(False), table.at >= since)
    return session.scalar(query) or 0


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets the engine, the app and the CLI read while one of them writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"


def import_models() -> None:
    """Import the modules that declare tables so that they are registered on Base."""
    import bot.calls  # noqa: F401
    import bot.complaints.models  # noqa: F401
    import bot.messages  # noqa: F401
    import bot.optouts  # noqa: F401
    import bot.outbox  # noqa: F401
    import bot.users  # noqa: F401
    import knowledge_base.questions  # noqa: F401
    import knowledge_base.store  # noqa: F401


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class Database:
    """Owns the engine and hands out short transactions."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """Upgrade the database to the newest migration (creating it when empty)."""
        with self.engine.begin() as connection:
            config = alembic_config(connection)
            tables = set(inspect(connection).get_table_names())
            if "faqs" in tables and "alembic_version" not in tables:
                # Made by create_all before migrations existed: the same tables as revision 1.
                command.stamp(config, FIRST_REVISION)
            command.upgrade(config, "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session

    def ping(self) -> bool:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True

    def dispose(self) -> None:
        self.engine.dispose()
