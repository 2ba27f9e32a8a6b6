"""Alembic migrations of the application's database (SQLite and PostgreSQL).

``Database.create_schema`` upgrades to the newest revision at start-up. To add one after
changing a model: ``.venv/bin/python -m bot.migrations revision "what changed"``.
"""
