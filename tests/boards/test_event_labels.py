"""The staff board's recent events read as words in both languages: every kind a service emits is in the one
registry (ops.events.KINDS) with its label, and emit refuses a kind that is not."""
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from harness.stack import ROOT
from ops import events
from ops.centres.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def _emitted_in_source() -> set[str]:
    """Every kind passed to emit(...) in the project's code."""
    kinds = set()
    for path in list((ROOT / "ops").rglob("*.py")) + list((ROOT / "api").rglob("*.py")) + list(
            (ROOT / "mapping").rglob("*.py")):
        text = Path(path).read_text(encoding="utf-8")
        kinds.update(re.findall(r"\bemit\(\s*[^,()]+(?:\([^()]*\))?,\s*\"([a-z_]+\.[a-z_]+)\"", text))
    return kinds


def test_every_kind_a_service_emits_is_registered_with_a_label():
    emitted = _emitted_in_source()
    assert {"team.tools", "booking.saved", "dispatch.arrived"} <= emitted  # the scan finds them
    assert emitted - set(events.KINDS) == set()


def test_emit_refuses_a_kind_without_a_label(centre):
    with pytest.raises(ValueError):
        events.emit(centre, "team.unheard_of", {})


@pytest.mark.parametrize("language", ["ja", "en"])
def test_staff_board_feed_shows_every_kind_in_words(client, centre, language):
    kinds = _emitted_in_source()
    for kind in kinds:
        events.emit(centre, kind, {})
    client.force_login(factories.make_user(Role.COORDINATOR, centre))
    page = client.get(reverse("boards:staff", kwargs={"centre": centre.slug}),
                      HTTP_ACCEPT_LANGUAGE=language).content.decode()
    feed = page.split('id="feed"')[1].split("</ol>")[0]
    assert feed.count("<li>") == len(kinds)
    assert not [kind for kind in kinds if kind in feed]
    # The labels the live script uses for new events are the same words.
    labels = json.loads(re.search(r'<script id="board-labels" type="application/json">(.*?)</script>', page,
                                  re.S).group(1))
    assert not [k for k in kinds if labels["kinds"].get(k, k) == k]
