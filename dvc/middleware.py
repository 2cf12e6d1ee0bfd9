"""Request checks that hold for every page, before any view runs."""
from django.http import HttpResponseBadRequest


class RefuseNulBytes:
    """A NUL byte in a query string or form field is refused with 400: nobody types one, and PostgreSQL
    cannot hold one in text, so a filter or a field read straight from the request would otherwise end in a
    500 wherever it reached a query. The API is left to DRF, whose fields refuse NUL with its JSON errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and self._has_nul(request):
            return HttpResponseBadRequest("NUL characters are not allowed.", content_type="text/plain")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        params = [request.GET]
        if request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            params.append(request.POST)
        return any("\x00" in key or any("\x00" in value for value in values)
                   for query in params for key, values in query.lists())
