import json
from collections.abc import Iterator
from typing import Any

import pytest
from rasa_sdk import Tracker

import actions.deps
from bot.services import Services
from bot.settings import Settings
from knowledge_base.importer import read_csv
from tests.conftest import DEMO_KB, FIXTURES

DOMAIN: dict[str, Any] = {"slots": {}, "forms": {}, "responses": {}}


def saved_tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((FIXTURES / "trackers" / f"{name}.json").read_text()))


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    services = Services.build(settings)
    services.faqs.upsert_many(read_csv(DEMO_KB), changed_by="test")
    services.kb.sync()
    actions.deps.configure(services)
    yield services
    actions.deps.configure(None)
    services.close()
