import pytest

from knowledge_base.pinyin import NameMatcher, default_matcher


@pytest.mark.parametrize(
    ("heard", "meant"),
    [
        ("青锋山几点开门", "青峰山几点开门"),  # ASR homophone
        ("清风山门票", "青峰山门票"),  # qing/feng without the tones
        ("脆湖游船", "翠湖游船"),  # two characters: same tones
        ("去云西古镇怎么走", "去云溪古镇怎么走"),
        ("白路洲湿地", "白鹭洲湿地"),
        ("青峰山索道多少钱", "青峰山索道多少钱"),  # already right: unchanged
        ("车位被占了", "车位被占了"),  # bei4 zhan4 is not 北站 bei3 zhan4
    ],
)
def test_names_that_sound_alike_are_rewritten(heard: str, meant: str) -> None:
    assert default_matcher().canonicalize(heard) == meant


def test_the_first_name_with_a_sound_is_the_canonical_one() -> None:
    matcher = NameMatcher(["青峰山", "青锋山", "翠湖"])
    assert matcher.canonicalize("青锋山和翠湖") == "青峰山和翠湖"
    assert NameMatcher([]).canonicalize("青锋山") == "青锋山"
