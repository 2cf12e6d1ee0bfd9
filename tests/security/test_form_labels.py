"""Every label on every page names a field that is there. A `<label for="">` (or one pointing at an id the page
does not have) gives a screen reader's user a question without its field, and a tap on it does nothing on a
phone. Choice groups (radio buttons, checkbox lists) are a fieldset with a legend instead.

Not a security test, but it needs what the access matrix has: every route, and a world in which each page can
be opened by someone. Each route is opened as the first role allowed to."""
import re

import pytest

from tests.security.conftest import PRINCIPALS, client_for
from tests.security.test_access_matrix import ROUTES, url_of, world  # noqa: F401 (world: the fixture)

pytestmark = pytest.mark.django_db
LABEL_FOR = re.compile(r"<label\b[^>]*\bfor=\"([^\"]*)\"")
IDS = re.compile(r"\bid=\"([^\"]+)\"")
LEGEND_GROUP = re.compile(r"<fieldset\b[^>]*>\s*<legend\b", re.S)


def pages(world):  # noqa: F811 (the fixture)
    for name, route in sorted(ROUTES.items()):
        who = next((p for p in PRINCIPALS if p in route.get), None)
        if who is None:
            continue
        query = route.query(world) if route.query else {}
        response = client_for(world, who).get(url_of(name, world), query)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            yield name, response.content.decode()


def test_every_label_names_a_field_on_its_page(world):  # noqa: F811 (the fixture)
    broken, checked, groups = {}, 0, 0
    for name, html in pages(world):
        ids = set(IDS.findall(html))
        bad = [target or "(empty)" for target in LABEL_FOR.findall(html) if target not in ids]
        if bad:
            broken[name] = bad
        checked += 1
        groups += len(LEGEND_GROUP.findall(html))
    assert broken == {}, f"labels naming no field: {broken}"
    assert checked >= 35, checked  # the crawl reached the pages (37 HTML pages when written)
    assert groups >= 5, groups  # and the choice groups it reached have legends
