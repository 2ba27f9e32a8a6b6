"""``python -m bot.migrations revision MESSAGE`` — autogenerate a revision against a scratch
SQLite database upgraded to the current head."""

import sys
import tempfile
from pathlib import Path

from alembic import command

from bot.db import Database, alembic_config


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] != "revision":
        print(__doc__)  # noqa: T201
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        db = Database(f"sqlite:///{Path(scratch) / 'scratch.db'}")
        with db.engine.begin() as connection:
            config = alembic_config(connection)
            command.upgrade(config, "head")
            command.revision(config, message=sys.argv[2], autogenerate=True)
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
