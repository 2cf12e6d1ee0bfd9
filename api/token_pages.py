"""/c/<centre>/api-tokens/: the centre's administrator issues API tokens for the centre's staff accounts
(an integration's own account, ideally), sees when each was issued, last used and expires, and revokes them.

A token issued here acts at this centre only. The list also shows the command line's tokens (acting at every
centre of their user) of this centre's staff, so the administrator can revoke any token that reaches here.
"""
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from api.models import ApiToken
from api.token_services import issue_token, revoke_token
from ops.permissions import Cap, centre_view


def staff_of(centre):
    return get_user_model().objects.filter(memberships__centre=centre, is_active=True).distinct().order_by("username")


def tokens_reaching(centre):
    """Tokens that act at `centre`: issued here, or issued for all centres to someone who works here."""
    return (ApiToken.objects.filter(Q(centre=centre) | Q(centre__isnull=True, user__in=staff_of(centre)))
            .select_related("user", "created_by", "revoked_by"))


class IssueForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("用途"), max_length=80,
                           help_text=gettext_lazy("例: 市のダッシュボード"))
    user = forms.ModelChoiceField(label=gettext_lazy("利用者（このセンターのスタッフ）"), queryset=None,
                                  help_text=gettext_lazy("トークンはこの利用者の、このセンターでの役割で動きます。"))

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff_of(centre)
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.get_username()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("用途を入力してください。"))
        return name


@never_cache  # the new key is on the page once: never from a cache
@centre_view(Cap.MANAGE_CENTRE)
def api_tokens(request, centre):
    form = IssueForm(request.POST or None, centre=centre)
    new_key, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            token, new_key = issue_token(user=form.cleaned_data["user"], name=form.cleaned_data["name"],
                                         centre=centre, by=request.user)
            form = IssueForm(centre=centre)
        else:
            status = 400
    return render(request, "api/tokens.html", {"form": form, "new_key": new_key, "tokens": tokens_reaching(centre),
                                               "token_days": settings.API_TOKEN_DAYS}, status=status)


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def api_token_revoke(request, centre, pk):
    token = get_object_or_404(tokens_reaching(centre), pk=pk)
    if revoke_token(token, by=request.user):
        messages.success(request, _("APIトークン %(prefix)s… を失効させました。") % {"prefix": token.prefix})
    return redirect("api_tokens", centre=centre.slug)
