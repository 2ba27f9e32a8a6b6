"""The category of a complaint, and whether a message tells one at all, learned from labelled
complaints in the tourists' own words.

The cue words of ``intake.CATEGORIES`` find where a story tells what went wrong, but each new
set of conversations brought phrasings they did not know: as the category of conversations
nobody had studied they were right about four times in five. A linear classifier over the
characters of the stories, trained on the conversations studied before, was right on more of
each new set (``scripts/eval_categories.py`` measures both, set by set, in the order the sets
were written).

``category_examples.jsonl`` holds the examples, one story per line with its category and where
it comes from; ``scripts/category_examples.py`` rebuilds it from the scripted conversations.
A bureau adds the work orders its case officers classified.

Whether a message tells a grievance is learned the same way: those stories against the
questions tourists ask (the bundled FAQ's questions, the labelled questions of
``knowledge_base/known_questions.jsonl``) and the NLU examples of every other intent. It
finds stories the cue words have no cue for (车厢门根本关不严实…吓得我腿都软了); it does not
replace them, since its examples of complaints are long stories and of questions short ones,
and a short complaint (游船收了钱不开船) reads to it like a question.
"""

import csv
import json
import re
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from bot.complaints import intake
from bot.settings import PROJECT_DIR
from knowledge_base.known import KNOWN_FILE
from knowledge_base.text import to_simplified

EXAMPLES = Path(__file__).with_name("category_examples.jsonl")
FAQ_FILE = PROJECT_DIR / "knowledge_base" / "demo" / "faq.csv"
NLU_FILE = PROJECT_DIR / "nlu_data" / "nlu.yml"
ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)")  # [青峰山](place) → 青峰山
DIGITS = re.compile(r"\d")
GRIEVANCE = 0.7  # a story is taken for a grievance from this probability
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


def conversation_openings(path: Path) -> list[str]:
    """The first message of each conversation of a set of scripted conversations."""
    conversations = yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
    return [str(conversation["turns"][0]) for conversation in conversations]


def set_order(name: str) -> tuple[int, str]:
    """The order the sets were written in: complaint_conversations, _fresh, _unseen, then
    _unseen2, _unseen3…"""
    stem = Path(name).stem.removeprefix("complaint_conversations").lstrip("_")
    first = {"": 0, "fresh": 1, "unseen": 2}
    if stem in first:
        return first[stem], stem
    return int(stem.removeprefix("unseen")) + 1, stem


def nlu_examples(path: Path = NLU_FILE) -> list[tuple[str, str]]:
    """(intent, text) of every NLU training example, without its entity annotations."""
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    return [
        (block["intent"], ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip()))
        for block in blocks
        if "intent" in block
        for line in block["examples"].splitlines()
        if line.strip()
    ]


def questions() -> list[str]:
    """What tourists ask: the bundled FAQ's questions and similar questions, and the labelled
    questions the knowledge base's calibration was fitted on."""
    with FAQ_FILE.open(encoding="utf-8", newline="") as faq:
        rows = list(csv.DictReader(faq))
    asked = [q for row in rows for q in [row["question"], *row["similar_questions"].split("|")]]
    lines = KNOWN_FILE.read_text(encoding="utf-8").splitlines()
    return [q for q in asked if q] + [json.loads(line)["query"] for line in lines if line]


def _pipeline() -> Pipeline:
    """Character 1–3-grams (no word segmentation to get wrong on dialect or typos), weighted
    by TF-IDF, and a logistic regression that weighs each class alike however many examples
    it has."""
    return make_pipeline(
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
        LogisticRegression(C=10, max_iter=2000, class_weight="balanced"),
    )


def train(examples: Sequence[tuple[str, str]]) -> Pipeline:
    """A category classifier of (story, category) examples."""
    unknown = {category for _, category in examples} - set(intake.CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories in the examples: {sorted(unknown)}")
    classifier = _pipeline()
    classifier.fit([to_simplified(text) for text, _ in examples], [c for _, c in examples])
    return classifier


def unnumbered(text: str) -> str:
    """Digits are no grievance: complaints leave phone numbers, and so do details."""
    return DIGITS.sub("", to_simplified(text))


def train_grievance(complaints: Sequence[str], others: Sequence[str]) -> Pipeline:
    """Whether a message tells a grievance (class 1), of complaints and other messages."""
    detector = _pipeline()
    texts = [unnumbered(text) for text in [*complaints, *others]]
    detector.fit(texts, [1] * len(complaints) + [0] * len(others))
    return detector


def grievance_examples(
    stories: Sequence[dict[str, str]], asked: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The detector's complaints (the stories and the NLU's `complain` examples) and other
    messages (the questions asked and the NLU examples of every other intent)."""
    nlu = nlu_examples()
    complaints = [row["text"] for row in stories] + [t for i, t in nlu if i == "complain"]
    return complaints, [*asked, *(text for intent, text in nlu if intent != "complain")]


@cache
def _trained() -> tuple[Pipeline, Pipeline]:
    stories = read_examples()
    return (
        train([(row["text"], row["category"]) for row in stories]),
        train_grievance(*grievance_examples(stories, questions())),
    )


def _models() -> tuple[Pipeline, Pipeline]:
    with _training:  # the first complaint waits for a warm-up under way, not trains again
        return _trained()


def warm_up() -> None:
    """Train the bundled examples' models now: it takes seconds, the app starts it aside so
    that the first message does not wait."""
    _models()


def classify(text: str, classifier: Pipeline | None = None) -> str:
    """The category of a story (the bundled examples' classifier unless one is given)."""
    model = classifier or _models()[0]
    return str(model.predict([to_simplified(text)])[0])


def grievance(text: str, detector: Pipeline | None = None) -> float:
    """How likely the message tells a grievance, 0–1 (the bundled detector unless one is
    given)."""
    model = detector or _models()[1]
    return float(model.predict_proba([unnumbered(text)])[0, 1])


def detected(text: str, detector: Pipeline | None = None) -> bool:
    """A story (``intake.STORY_CHARS`` or more) the detector takes for a grievance: its
    complaints are long stories, so a short message is no evidence to it (电话17712345678 and
    前天下午 score high for what they share with the stories)."""
    return len(text) >= intake.STORY_CHARS and grievance(text, detector) >= GRIEVANCE


def tells_grievance(text: str, detector: Pipeline | None = None) -> bool:
    """A grievance by the cue words, or by the detector (see detected)."""
    return intake.grievance_cue(text) or detected(text, detector)


def reads_like_complaint(text: str) -> bool:
    """A story of something that went wrong, told without the word 投诉: a grievance (see
    tells_grievance) that a case officer can follow up (see intake.can_follow_up), or one that
    the cue words and the detector both read (旅拍说好拍两小时…拍了四十分钟就收工): the form
    then asks for what a case officer needs."""
    return plainly_grievance(text) or (intake.can_follow_up(text) and tells_grievance(text))


def plainly_grievance(text: str) -> bool:
    """A story that the cue words and the detector both read as a grievance."""
    return intake.grievance_cue(text) and detected(text)
