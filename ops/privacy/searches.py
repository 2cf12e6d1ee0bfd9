"""Staff searches whose words may be personal data (a phone, a name, a scanned personal link) never go into a URL,
where access logs, proxies, browser history and Referer headers would keep them. The form POSTs the words; they
are kept in the session under a short random key, and the page is addressed by ?s=<key> (pages, filters and
reloads work as before). The API's search is a POST of its own (api/needs.py)."""
import secrets

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

SESSION_KEY = "searches"
PARAM = "s"
KEEP = 20  # a shift's recent searches: back and reload work, the session stays small
MAX_LENGTH = 200


def remember(request, words: str) -> str:
    """Keep `words` in the session; the key that finds them again."""
    kept = dict(request.session.get(SESSION_KEY, {}))
    key = secrets.token_urlsafe(6)
    kept[key] = words[:MAX_LENGTH]
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEEP:])
    return key


def recall(request) -> str:
    """The words of this page's ?s=<key>, or "" (no key; or a key from another session or long ago: then the
    page says the search has to be typed again)."""
    key = request.GET.get(PARAM, "")
    if not key:
        return ""
    words = request.session.get(SESSION_KEY, {}).get(key)
    if words is None:
        messages.info(request, _("検索の有効期限が切れました。もう一度検索してください。"))
        return ""
    return words


def redirect_to_results(request, *, keep: tuple[str, ...] = (), field: str = "q") -> HttpResponseRedirect:
    """Answer a search form's POST: back to the same page by GET, with the filters named in `keep` (operational
    values: status, district ...) in the URL and the typed words behind ?s=<key>."""
    query = QueryDict(mutable=True)
    for name in keep:
        if value := request.POST.get(name, ""):
            query[name] = value
    words = request.POST.get(field, "").strip()
    if words:
        query[PARAM] = remember(request, words)
    return HttpResponseRedirect(request.path + (f"?{query.urlencode()}" if query else ""))
