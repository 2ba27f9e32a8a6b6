from knowledge_base.elsewhere import Destinations, default_destinations, read_names
from knowledge_base.text import normalize, words


def named(destinations: Destinations, query: str) -> list[str]:
    prepared = normalize(query)
    return destinations.named_in(prepared, set(words(prepared)))


def test_names_are_found_in_simplified_text_longest_first() -> None:
    destinations = Destinations(["黄山", "八达岭", "八达岭长城", "西湖"])
    assert named(destinations, "黃山風景區門票多少錢") == ["黄山"]
    assert named(destinations, "八達嶺長城需要預約嗎") == ["八达岭长城"]
    assert named(destinations, "杭州西湖边上哪里停车方便") == ["西湖"]


def test_a_two_character_name_must_be_a_whole_word() -> None:
    destinations = Destinations(["天山", "华山"])
    assert named(destinations, "今天山上冷不冷") == []
    assert named(destinations, "华山夜爬从哪个门上") == ["华山"]


def test_the_bundled_list_holds_destinations_not_home_cities() -> None:
    names = read_names()
    assert {"九寨沟", "张家界", "鼓浪屿", "富士山"} <= set(names)
    assert not {"北京", "上海", "曼谷"} & set(names)  # where tourists come from, not go to
    assert named(default_destinations(), "我从北京来，青峰山门票多少钱") == []
