"""The CSRF refusal: a phone's outbox post (it carries X-Submit-Key) is told in JSON, so it fetches the page
again for a fresh token and resends; every other post gets Django's own page as before."""
from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure

from ops.offline.keys import respond


def csrf_failure(request, reason=""):
    if request.headers.get("X-Submit-Key"):
        return respond(403, {"state": "csrf", "message": _("ページの有効期限が切れました。ページを読み込み直して送信します。")})
    return django_csrf_failure(request, reason=reason)
