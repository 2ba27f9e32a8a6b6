from knowledge_base.text import to_half_width


def test_full_width_digits_and_letters_are_read_as_ascii_and_punctuation_kept() -> None:
    assert (
        to_half_width("我的手机是１３６０７７９１５４２，ｗｘ付的")
        == "我的手机是13607791542，wx付的"
    )
