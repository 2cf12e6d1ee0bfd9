"""The public JSON's short way through the middleware. `/p/<centre>/board.json` is what a crowd polls (the public
board, the council's widget, a council's page, a CDN revalidating): anonymous, cookie-free, read-only. Sessions,
CSRF, users, messages, the audit actor and lockouts have nothing to do for it, and on this 2-core machine walking
them cost as much as the answer itself (bench/public_feed). So this middleware, placed right after the static
files', answers it with the same view and the same language choice as LocaleMiddleware, and hands anything else
(another path or method, an unknown centre's 404 page, a database that is away: its 503) to the full chain."""
from django.db import DatabaseError
from django.http import Http404
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

PREFIX, SUFFIX = "/p/", "/board.json"
METHODS = {"GET", "HEAD", "OPTIONS"}


class PublicFeedFastPath:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.method not in METHODS or not (path.startswith(PREFIX) and path.endswith(SUFFIX)):
            return self.get_response(request)
        from ops.boards.views import public_snapshot

        try:
            match = resolve(path)
        except Resolver404:
            return self.get_response(request)
        if match.func is not public_snapshot:
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except (Http404, DatabaseError):
            return self.get_response(request)  # the site's own 404 page, or the 503 of a database away
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
