from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.engine_process import endpoints_config, engine_command, training_hash
from bot.settings import Settings


def make_project(root: Path) -> None:
    (root / "nlu_data" / "jieba").mkdir(parents=True)
    (root / "config.yml").write_text("language: zh\n")
    (root / "domain.yml").write_text("intents: [greet]\n")
    (root / "nlu_data" / "nlu.yml").write_text("nlu: []\n")
    (root / "nlu_data" / "jieba" / "userdict.txt").write_text("青峰山 2000 ns\n")


def test_training_hash_changes_only_with_training_inputs(tmp_path: Path) -> None:
    make_project(tmp_path)
    before = training_hash(tmp_path)
    (tmp_path / "README.md").write_text("not training data")
    assert training_hash(tmp_path) == before
    (tmp_path / "nlu_data" / "jieba" / "userdict.txt").write_text("青峰山 3000 ns\n")
    assert training_hash(tmp_path) != before


def test_endpoints_follow_the_settings(tmp_path: Path) -> None:
    sqlite = endpoints_config(Settings(data_dir=tmp_path, port=8123))
    assert sqlite["action_endpoint"] == {"url": "http://127.0.0.1:8123/webhook"}
    assert sqlite["tracker_store"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
    }
    assert "lock_store" not in sqlite
    postgres = endpoints_config(
        Settings(
            database_url="postgresql+psycopg://bot:pw@db.local:5433/hotline",
            redis_url="redis://127.0.0.1:6379/2",
        )
    )
    assert postgres["tracker_store"] == {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "db.local",
        "port": 5433,
        "db": "hotline",
        "username": "bot",
        "password": "pw",
    }
    assert postgres["lock_store"]["type"] == "redis"  # type: ignore[index]
    assert postgres["lock_store"]["db"] == 2  # type: ignore[index]


def test_engine_token_is_passed_when_set(tmp_path: Path) -> None:
    settings = Settings(engine_token="s3cret", engine_url="http://127.0.0.1:5099")
    command = engine_command(settings, tmp_path / "m.tar.gz", tmp_path / "e.yml")
    assert command[command.index("--auth-token") + 1] == "s3cret"
    assert command[command.index("--port") + 1] == "5099"
    assert "--auth-token" not in engine_command(Settings(), tmp_path / "m", tmp_path / "e")


def test_production_refuses_placeholder_secrets() -> None:
    with pytest.raises(ValidationError, match="HOTLINE_ENGINE_TOKEN"):
        Settings(env="production", engine_token="changethis", admin_token="real-admin")
    Settings(env="production", engine_token="e-9f8a", admin_token="a-7c6d")
