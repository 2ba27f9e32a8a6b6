from scripts.eval_complaints import clock_digits, matches


def test_a_time_said_in_words_matches_the_same_time_in_digits() -> None:
    assert clock_digits("昨天上午十点多钟") == "昨天上午10点多钟"
    assert clock_digits("四点二十分 两点 十二月三号 二十三点") == "4点20分 2点 12月3号 23点"
    assert matches("incident_time", "昨天上午10点多", "昨天上午十点多钟")
    assert matches("incident_time", "大前天下午两点多", "大前天下午2点多")
    assert not matches("incident_time", "昨天下午2点", "昨天下午三点")
    assert not matches("incident_time", "前天下午5点", "前天下午")
    # Only times: a name holds its numerals (三点水那个汪 is no time, nor is it compared).
    assert not matches("target", "二号码头", "2号码头")
