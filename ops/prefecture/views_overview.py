"""The prefecture's own pages under /pref/<disaster>/: the overview of every centre (and its JSON, polled by the
page), recruitment across centres, and the needs map by district. Thin: ops.prefecture.selectors reads,
ops.prefecture.services writes, ops.permissions.prefecture_view decides who."""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ops.centres.models import Centre
from ops.permissions import prefecture_view
from ops.prefecture import selectors
from ops.prefecture.forms import RecruitmentForm
from ops.prefecture.services import PrefectureRefused
from ops.prefecture.services.recruitment import set_recruitment_across

POLL_SECONDS = 20


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@never_cache
@prefecture_view
def overview(request, disaster):
    data = selectors.overview(disaster)
    return render(request, "prefecture/overview.html", {
        "disaster": disaster, "data": data, "poll_seconds": POLL_SECONDS,
        "form": RecruitmentForm(disaster=disaster)})


@never_cache
@prefecture_view
def figures(request, disaster):
    return _json(selectors.figures_json(selectors.overview(disaster)))


@never_cache
@prefecture_view
def recruitment(request, disaster):
    """GET: the form alone; POST: set it at every centre chosen, all or none, back to the overview."""
    form = RecruitmentForm(request.POST or None, disaster=disaster)
    if request.method == "POST" and form.is_valid():
        try:
            changed = set_recruitment_across(disaster, form.cleaned_data["centres"], status=form.cleaned_data["status"],
                                             scope=form.cleaned_data["scope"], by=request.user)
        except PrefectureRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(n)d か所のセンターの募集状況を「%(status)s」にしました。") % {
                "n": len(changed), "status": Centre.Recruitment(form.cleaned_data["status"]).label})
            return redirect("prefecture:overview", disaster=disaster.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "prefecture/overview_recruitment.html", {"disaster": disaster, "form": form},
                  status=status)


@prefecture_view
def district_map(request, disaster):
    first = Centre.objects.filter(disaster=disaster).order_by("id").first()
    return render(request, "prefecture/district_map.html", {
        "disaster": disaster, "first": first, "min_placed": selectors.MIN_PLACED})


@never_cache
@prefecture_view
def district_needs(request, disaster):
    return _json(selectors.district_needs(disaster))
