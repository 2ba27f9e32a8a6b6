"""The category of a complaint, learned from labelled complaints in the tourists' own words.

The cue words of ``intake.CATEGORIES`` find where a story tells what went wrong, but each new
set of conversations brought phrasings they did not know: as the category of conversations
nobody had studied they were right about four times in five. A linear classifier over the
characters of the stories, trained on the conversations studied before, was right on more of
each new set (``scripts/eval_categories.py`` measures both, set by set, in the order the sets
were written).

``category_examples.jsonl`` holds the examples, one story per line with its category and where
it comes from; ``scripts/category_examples.py`` rebuilds it from the scripted conversations.
A bureau adds the work orders its case officers classified.
"""

import json
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.complaints.intake import CATEGORIES
from knowledge_base.text import to_simplified

EXAMPLES = Path(__file__).with_name("category_examples.jsonl")
_training = threading.Lock()


def read_examples(path: Path = EXAMPLES) -> list[dict[str, str]]:
    """One JSON object per line: text, category, source."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def conversation_examples(path: Path, root: Path) -> list[dict[str, str]]:
    """The examples of a set of scripted conversations (eval/complaint_conversations*.yml):
    the tourist's turns before the last (the confirmation), with the expected category."""
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    source = path.resolve().relative_to(root)
    return [
        {
            "text": "\n".join(str(turn) for turn in conversation["turns"][:-1]),
            "category": conversation["expect"]["category"],
            "source": f"{source}#{n}",
        }
        for n, conversation in enumerate(conversations)
    ]


def set_order(name: str) -> tuple[int, str]:
    """The order the sets were written in: complaint_conversations, _fresh, _unseen, then
    _unseen2, _unseen3…"""
    stem = Path(name).stem.removeprefix("complaint_conversations").lstrip("_")
    first = {"": 0, "fresh": 1, "unseen": 2}
    if stem in first:
        return first[stem], stem
    return int(stem.removeprefix("unseen")) + 1, stem


def train(examples: Sequence[tuple[str, str]]) -> Pipeline:
    """Character 1–3-grams (no word segmentation to get wrong on dialect or typos), weighted
    by TF-IDF, and a logistic regression that weighs each category alike however many
    examples it has."""
    unknown = {category for _, category in examples} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories in the examples: {sorted(unknown)}")
    classifier = make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=2000, class_weight="balanced"),
    )
    classifier.fit([to_simplified(text) for text, _ in examples], [c for _, c in examples])
    return classifier


@cache
def _trained() -> Pipeline:
    return train([(row["text"], row["category"]) for row in read_examples()])


def _classifier() -> Pipeline:
    with _training:  # the first complaint waits for a warm-up under way, not trains again
        return _trained()


def warm_up() -> None:
    """Train the bundled examples' classifier now: it takes seconds, the app starts it aside
    so that the first complaint does not wait."""
    _classifier()


def classify(text: str, classifier: Pipeline | None = None) -> str:
    """The category of a story (the bundled examples' classifier unless one is given)."""
    model = classifier or _classifier()
    return str(model.predict([to_simplified(text)])[0])
