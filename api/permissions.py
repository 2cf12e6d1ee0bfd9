"""The pages' permission rules, for API views: ops.permissions decides, this only adapts it to DRF.

A centre-scoped view names the capability each HTTP method needs (`required_caps`); the centre comes from
the URL's slug. Unknown centre: 404. No credentials: 401. Credentials but no such capability at this
centre (another centre's staff, a role without it): 403, exactly as `centre_view` answers on the pages.
"""
from django.shortcuts import get_object_or_404
from rest_framework.permissions import BasePermission

from api.tokens import token_of
from ops.centres.models import Centre
from ops.permissions import Cap, can


class HasCentreCapability(BasePermission):
    def has_permission(self, request, view):
        centre = view.get_centre()
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 with the authentication challenge
        cap = view.required_caps.get(request.method) or view.required_caps.get("GET")
        if cap is None:
            # A method the view does not serve goes on to DRF's 405; one it serves without a declared
            # capability is refused rather than guessed.
            return not hasattr(view, request.method.lower())
        token = token_of(request)
        if token is not None and not token.acts_at(centre):
            return False  # a token issued at another centre's page acts there only
        return can(request.user, centre, cap)


class CentreScoped:
    """Mixin: `self.centre` from the <slug:centre> URL argument, loaded once per request."""

    required_caps: dict[str, Cap] = {}

    def get_centre(self) -> Centre:
        if not hasattr(self, "_centre"):
            self._centre = get_object_or_404(Centre, slug=self.kwargs["centre"])
        return self._centre

    @property
    def centre(self) -> Centre:
        return self.get_centre()

    def can(self, cap: Cap) -> bool:
        return can(self.request.user, self.centre, cap)
