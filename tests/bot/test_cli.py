import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.settings import get_settings
from tests.conftest import DEMO_KB


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    runner = CliRunner()
    result = runner.invoke(main, ["kb", "import", str(DEMO_KB)])
    assert result.exit_code == 0, result.output
    yield runner
    get_settings.cache_clear()


def test_search_json_is_the_contract(runner: CliRunner) -> None:
    result = runner.invoke(main, ["kb", "search", "青峰山门票多少钱", "--k", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output.strip().splitlines()[-1])
    assert data["query"] == "青峰山门票多少钱"
    assert data["decision"] == "answer"
    assert data["hits"][0]["id"] == "faq-0001" and len(data["hits"]) <= 2


def test_batch_search_prints_one_json_object_a_line(runner: CliRunner, tmp_path: Path) -> None:
    queries = tmp_path / "queries.txt"
    queries.write_text("青峰山门票多少钱\n\n能带狗吗\n帮我写一篇作文\n", encoding="utf-8")
    result = runner.invoke(main, ["kb", "search", "--batch", str(queries), "--json"])
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [line["query"] for line in lines] == ["青峰山门票多少钱", "能带狗吗", "帮我写一篇作文"]
    assert lines[2]["decision"] == "none"


def test_import_with_bad_rows_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,category,question,similar_questions,answer\nt-001,门票,改了的问题,,\n", encoding="utf-8"
    )
    result = runner.invoke(main, ["kb", "import", str(bad)])
    assert result.exit_code != 0
    assert "第2行" in result.output and "未导入任何数据" in result.output
    search = runner.invoke(main, ["kb", "search", "青峰山门票多少钱", "--json"])
    assert "改了的问题" not in search.output
