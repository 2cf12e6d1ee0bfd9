"""One Japanese source string, one English translation. Django merges every app's catalogue into one
(LOCALE_PATHS first, then apps in INSTALLED_APPS order), so when two catalogues translate the same msgid
differently, only one wins, everywhere: a board event "班編成" (team formed) would read as the page title
"Teams". Strings that need different English in different places must carry a context (pgettext)."""
from collections import defaultdict

import polib
import pytest

from harness.stack import ROOT
from tests.i18n.test_catalogues import _catalogues

pytestmark = pytest.mark.smoke


def test_no_msgid_is_translated_two_ways():
    seen = defaultdict(dict)
    for path in _catalogues(ROOT):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or "fuzzy" in entry.flags:
                continue
            text = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            if text:
                seen[(entry.msgctxt, entry.msgid)][str(path.relative_to(ROOT))] = text
    conflicts = {key: where for key, where in seen.items() if len(set(where.values())) > 1}
    assert conflicts == {}, "\n".join(f"{key[1]!r}: {where}" for key, where in conflicts.items())
