"""A crawler for the season tests: follows every same-site link (and every path a page names in a data-
attribute) as one user, and hands each response to the checks."""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SKIP = re.compile(r"^/(static|media|admin)/|^/accounts/logout/|^/i18n/")
PATH_ATTRS = {"href", "src", "action", "data-url", "data-snapshot", "data-events", "data-feed", "data-card",
              "data-snapshot-url", "data-events-url", "data-feed-url", "data-card-url", "data-panel-url",
              "data-counts-url", "data-status-url", "data-duplicates-url", "data-geojson"}
MAX_VARIANTS = 8  # query-string variants of one path (filters, pages)


class _Page(HTMLParser):
    """Links, and the text a person sees (not scripts, styles or templates)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        for name, value in attrs:
            if value and (name in PATH_ATTRS or name.endswith("-url")) and tag not in ("form",):
                self.links.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.text.append(data.strip())


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    body: str
    text: str = ""
    came_from: str = ""


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)

    def by_status(self, predicate) -> list[Visit]:
        return [v for v in self.visits if predicate(v.status)]


def parse(body: str) -> _Page:
    page = _Page()
    page.feed(body)
    return page


def crawl(client, starts, *, limit: int = 2500, extra=()) -> Crawl:
    """GET every reachable same-site URL from `starts` (and `extra`, object pages named by the test)."""
    queue = deque((url, "") for url in [*starts, *extra])
    seen, variants, result = set(), {}, Crawl()
    while queue and len(result.visits) < limit:
        url, came_from = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc and parts.netloc not in ("testserver",):
            continue
        path = parts.path
        key = path + ("?" + parts.query if parts.query else "")
        if key in seen or SKIP.search(path) or not path.startswith("/"):
            continue
        if parts.query:
            variants[path] = variants.get(path, 0) + 1
            if variants[path] > MAX_VARIANTS:
                continue
        seen.add(key)
        response = client.get(key)
        ctype = response.get("Content-Type", "")
        # (never response.close() on a streamed file: the test client already sent request_finished, and a
        # second one would close the database connection inside the test's transaction)
        raw = b"".join(response) if response.streaming else response.content  # an async stream too (exports)
        body = raw.decode("utf-8", "replace") if ("html" in ctype or "json" in ctype) else ""
        visit = Visit(url=key, status=response.status_code, content_type=ctype, body=body, came_from=came_from)
        result.visits.append(visit)
        if response.status_code in (301, 302) and response.get("Location"):
            queue.append((urljoin(key, response["Location"]), key))
        if "html" in ctype and response.status_code == 200:
            page = parse(body)
            visit.text = "\n".join(page.text)
            for link in page.links:
                if link.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
                    continue
                queue.append((urljoin(key, link.split("#")[0]), key))
    return result
