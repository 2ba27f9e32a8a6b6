"""Whether a message tells a grievance: the cue words, the learned detector, and either, on
complaints and questions the detector was not trained on.

    .venv/bin/python scripts/eval_grievance.py [FILE ...]   # default: the two latest sets

Complaints: the first message of every conversation of the given sets of scripted
conversations, whose stories are taken out of the detector's training examples for the run.
Questions: a held-out labelled query set of the knowledge base, likewise taken out of its
training questions, and the held-out NLU examples of every intent but `complain`. Printed per
group: the share each reads as a grievance, and the share the bot takes for a complaint told
without the word 投诉 (a grievance a case officer can follow up:
categories.reads_like_complaint), by the cue words alone and by either.
"""

import argparse
import json
from pathlib import Path

from bot.complaints import categories, intake
from bot.settings import PROJECT_DIR
from knowledge_base.text import to_simplified

HELD_OUT_QUERIES = PROJECT_DIR / "eval" / "kb_heldout10.jsonl"
NLU_HELD_OUT = PROJECT_DIR / "eval" / "nlu_heldout.yml"
LATEST = 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="sets held out of the training")
    args = parser.parse_args()
    every = sorted((PROJECT_DIR / "eval").glob("complaint_conversations*.yml"))
    files = [f.resolve() for f in args.files] or sorted(
        every, key=lambda f: categories.set_order(f.name)
    )[-LATEST:]
    names = {str(f.relative_to(PROJECT_DIR)) for f in files}
    held_out = [
        json.loads(line)["query"]
        for line in HELD_OUT_QUERIES.read_text(encoding="utf-8").splitlines()
        if line
    ]
    examples = [e for e in categories.read_examples() if e["source"].split("#")[0] not in names]
    taken_out = set(held_out)
    asked = [q for q in categories.questions() if q not in taken_out]
    detector = categories.train_grievance(*categories.grievance_examples(examples, asked))
    nlu_held_out = categories.nlu_examples(NLU_HELD_OUT)
    groups = {
        "complaints: first messages of " + ", ".join(sorted(f.stem for f in files)): [
            opening for path in files for opening in categories.conversation_openings(path)
        ],
        "questions: kb_heldout10 (out of training)": held_out,
        "NLU held out, every intent but complain": [t for i, t in nlu_held_out if i != "complain"],
        "NLU held out, complain (short sentences)": [t for i, t in nlu_held_out if i == "complain"],
    }
    held = ", ".join(sorted(names))
    print(f"detector: {intake.STORY_CHARS}+ characters at {categories.GRIEVANCE}; held out: {held}")
    print("| messages | n | cue words | detector | either | taken, cue words only | taken |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, texts in groups.items():
        simplified = [to_simplified(text) for text in texts]
        cues = [intake.grievance_cue(text) for text in simplified]
        learned = [categories.detected(text, detector) for text in simplified]
        either = [categories.tells_grievance(text, detector) for text in simplified]
        follow_up = [intake.can_follow_up(text) for text in simplified]
        by_cues = [a and b for a, b in zip(cues, follow_up, strict=True)]
        taken = [a and b for a, b in zip(either, follow_up, strict=True)]
        cells = [sum(flags) / len(texts) for flags in (cues, learned, either, by_cues, taken)]
        print(f"| {name} | {len(texts)} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
