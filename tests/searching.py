"""Staff searches as the pages and scripts send them (ops.privacy.searches): the words by POST, never in a URL."""
import json


def search(client, url, q, **filters):
    """A search form sent from the page at `url`: the POST, then its redirect to the results (?s=<key>)."""
    return client.post(url, {**filters, "q": q}, follow=True)


def api_search(client, centre, q, **filters):
    """POST /api/v1/centres/<centre>/needs/search/ with the words and filters in the body."""
    return client.post(f"/api/v1/centres/{centre.slug}/needs/search/", json.dumps({**filters, "q": q}),
                       content_type="application/json")
