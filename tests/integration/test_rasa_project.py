"""The Rasa project files themselves: `rasa data validate` and the conversation tests."""

import subprocess

import pytest

from bot.engine_process import engine_env, train
from bot.settings import PROJECT_DIR, Settings

pytestmark = pytest.mark.engine


def rasa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Settings().rasa_bin), *args],
        cwd=PROJECT_DIR,
        env=engine_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_rasa_data_validate_is_clean() -> None:
    result = rasa("data", "validate", "--data", "nlu_data", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_conversation_tests_pass(tmp_path: pytest.TempPathFactory) -> None:
    model = train(Settings())
    result = rasa(
        "test",
        "core",
        "--model",
        str(model),
        "--stories",
        "tests/test_stories.yml",
        "--out",
        str(tmp_path),
        "--fail-on-prediction-errors",
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
