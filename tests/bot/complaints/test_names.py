import pytest

from bot.complaints.names import known_names, official_place, official_target


def test_every_spelling_of_a_known_place_is_known() -> None:
    places = known_names("place")
    assert {"青峰山风景区", "青锋山", "白路洲", "北站"} <= set(places)
    assert list(places) == sorted(places, key=len, reverse=True)


@pytest.mark.parametrize(
    ("said", "filed"),
    [
        ("古镇", "云溪古镇"),
        ("龙谈瀑布", "龙潭瀑布"),
        ("古镇东门", "云溪古镇东门"),  # the gate is kept
        ("青峰山南门", "青峰山风景区南门"),
        ("翠湖南门码头", "翠湖公园南门码头"),  # parts said one after another
        ("观音洞洞口", "观音洞洞口"),
        ("青峰山天池站", "青峰山天池站"),  # a stop, a car park, a desk
        ("古镇停车场", "云溪古镇停车场"),
        ("古镇小吃城", "老街小吃城"),  # the market of the town is the one we know
        ("云溪古镇", "云溪古镇"),
        ("青峰山索道公司", "青峰山索道公司"),  # a company named after its place is no place
        ("山脚下的小卖部", "山脚下的小卖部"),  # unknown: as the tourist said it
    ],
)
def test_a_place_is_filed_under_its_official_name(said: str, filed: str) -> None:
    assert official_place(said) == filed


@pytest.mark.parametrize(
    ("said", "filed"),
    [
        ("美食街", "老街小吃城"),
        ("云游国旅（导游）", "云游国际旅行社（导游）"),
        ("博物馆（讲解员）", "云溪博物馆（讲解员）"),  # a place as the target
        ("汽车站", "汽车客运总站"),
        ("游船", "游船"),  # a kind: another company's boat may be meant
        ("顺达出租车公司", "顺达出租车公司"),
    ],
)
def test_a_target_is_filed_under_its_official_name(said: str, filed: str) -> None:
    assert official_target(said) == filed
