"""The council's public address and its settings page: /council/<slug>/ (the page), /council/<slug>/info.json
(the same as JSON, as ops.centres.council_feed serves it) and /council/<slug>/settings/ (its staff edit it).
Thin: the feed builds the document, ops.centres.councils validates and saves, ops.permissions decides who."""
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ops.boards import feed
from ops.centres import council_feed, councils
from ops.centres.models import Council
from ops.centres.services import CentreSettingError
from ops.permissions import may_manage_council


@require_GET
def council_page(request, council):
    council = get_object_or_404(Council, slug=council)
    data = council_feed.council_data(council)
    return render(request, "centres/council.html", {
        "council": council, "data": data, "may_edit": may_manage_council(request.user, council),
    })


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def council_info(request, council):
    if request.method == "OPTIONS":
        return feed.preflight()
    council = get_object_or_404(Council, slug=council)
    return feed.respond(request, council_feed.council_document(council))


class CouncilForm(forms.Form):
    """Parses the settings page; ops.centres.councils validates (the rules live there, once)."""

    name = forms.CharField(label=gettext_lazy("社会福祉協議会名"), max_length=120)
    phone = forms.CharField(label=gettext_lazy("電話番号"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    address = forms.CharField(label=gettext_lazy("所在地"), max_length=200, required=False)
    website = forms.CharField(label=gettext_lazy("ウェブサイト"), max_length=200, required=False,
                              widget=forms.URLInput)
    normal_message = forms.CharField(
        label=gettext_lazy("平常時のお知らせ"), required=False, max_length=councils.MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("開設中・準備中のセンターがないときに、このページに表示します。"))
    links = forms.CharField(
        label=gettext_lazy("リンク（1行に1つ）"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("「表示名 | https://…」またはURLだけを1行に1つ、20件まで。"))


@require_http_methods(["GET", "POST"])
def council_settings(request, council):
    council = get_object_or_404(Council, slug=council)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_manage_council(request.user, council):
        raise PermissionDenied
    if request.method == "POST":
        form = CouncilForm(request.POST)
        if form.is_valid():
            try:
                councils.set_council_info(council, by=request.user, **form.cleaned_data)
            except CentreSettingError as err:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                messages.success(request, _("保存しました。社会福祉協議会のページに反映されています。"))
                return redirect("council_settings", council=council.slug)
    else:
        form = CouncilForm(initial={f: getattr(council, f) for f in councils.EDITABLE})
    return render(request, "centres/council_settings.html", {"council": council, "form": form},
                  status=400 if request.method == "POST" else 200)
