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
    queries.write_text("青峰山门票多少钱\n\n能带狗吗\nExcel怎么合并单元格\n", encoding="utf-8")
    result = runner.invoke(main, ["kb", "search", "--batch", str(queries), "--json"])
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    queried = ["青峰山门票多少钱", "能带狗吗", "Excel怎么合并单元格"]
    assert [line["query"] for line in lines] == queried
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


def test_set_rollback_delete_and_export(runner: CliRunner, tmp_path: Path) -> None:
    def top(query: str) -> dict:
        result = runner.invoke(main, ["kb", "search", query, "--json"])
        return json.loads(result.output.strip().splitlines()[-1])["hits"][0]

    created = runner.invoke(
        main,
        ["kb", "set", "shop-hanfu", "--category", "购物", "--question", "云溪哪里可以租汉服？",
         "--answer", "古镇东街可以租汉服（演示数据）。", "--similar", "古镇租汉服|汉服租赁"],
    )  # fmt: skip
    assert created.exit_code == 0 and "第 1 版" in created.output
    assert top("古镇有租汉服的吗")["id"] == "shop-hanfu"
    runner.invoke(main, ["kb", "set", "shop-hanfu", "--answer", "汉服店搬到了西街（演示数据）。"])
    assert "西街" in top("古镇有租汉服的吗")["answer"]
    rolled = runner.invoke(main, ["kb", "rollback", "shop-hanfu", "1"])
    assert rolled.exit_code == 0 and "第 3 版" in rolled.output
    assert "东街" in top("古镇有租汉服的吗")["answer"]

    incomplete = runner.invoke(main, ["kb", "set", "new-2", "--question", "没有答案的问题"])
    assert incomplete.exit_code != 0 and "--category --answer" in incomplete.output

    exported = tmp_path / "faq.xlsx"
    assert runner.invoke(main, ["kb", "export", str(exported)]).exit_code == 0
    assert runner.invoke(main, ["kb", "delete", "shop-hanfu"]).exit_code == 0
    assert top("古镇有租汉服的吗")["id"] != "shop-hanfu"
    missing = runner.invoke(main, ["kb", "delete", "shop-hanfu"])
    assert missing.exit_code != 0 and "没有 id" in missing.output
    reimported = runner.invoke(main, ["kb", "import", str(exported)])
    assert reimported.exit_code == 0 and "更新 1 条" in reimported.output
    assert top("古镇有租汉服的吗")["id"] == "shop-hanfu"


def test_wechat_menu_is_created_through_the_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.standins import WeChatApiStandIn

    with WeChatApiStandIn("wx0123456789abcdef", "menu-secret") as wx:
        for name, value in {
            "HOTLINE_DATA_DIR": str(tmp_path),
            "HOTLINE_WECHAT_APPID": "wx0123456789abcdef",
            "HOTLINE_WECHAT_SECRET": "menu-secret",
            "HOTLINE_WECHAT_API_URL": wx.url + "/cgi-bin/",
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        result = CliRunner().invoke(main, ["wechat", "menu"])
        get_settings.cache_clear()
        assert result.exit_code == 0, result.output
        assert "菜单已创建" in result.output
        assert wx.menu is not None
        assert [b["name"] for b in wx.menu["button"]] == ["常见问题", "投诉", "人工服务"]
        monkeypatch.setenv("HOTLINE_WECHAT_SECRET", "wrong")
        result = CliRunner().invoke(main, ["wechat", "menu"])
        get_settings.cache_clear()
        assert result.exit_code != 0 and "40001" in result.output
