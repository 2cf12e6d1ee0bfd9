"""The drill's after-action review (振り返り): the page and its PDF, in the reader's language or the one asked
for (?lang=ja / ?lang=en: the council's manual review may want both)."""
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.drills import review
from ops.drills.models import Drill
from ops.permissions import Cap, centre_view, may_read_drill_review
from ops.privacy import sight_of
from ops.reports import render as report_render

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _drill_of(request, centre) -> Drill:
    drill = Drill.objects.filter(centre=centre).first()
    if drill is None or not may_read_drill_review(request.user, centre):
        raise Http404
    return drill


def _welfare(request, centre) -> bool:
    """Whether the reader sees a household's welfare flag (ops.privacy), so its 危機介入 rows."""
    return sight_of(request.user, centre).shows("needs.Need", "welfare")


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else translation.get_language()


@never_cache
@require_GET
@centre_view(Cap.VIEW_REPORTS)
def review_page(request, centre):
    drill = _drill_of(request, centre)
    with translation.override(_language(request)):
        return render(request, "drills/review.html", {
            "r": review.after_action(drill, welfare=_welfare(request, centre))})


@never_cache
@require_GET
@centre_view(Cap.VIEW_REPORTS)
def review_pdf(request, centre):
    drill = _drill_of(request, centre)
    lang = _language(request)
    with translation.override(lang):
        r = review.after_action(drill, welfare=_welfare(request, centre))
        html = render_to_string("drills/review_document.html", {
            "r": r, "css": report_render.report_css(), "generated_at": timezone.localtime(), "LANGUAGE_CODE": lang})
    data = report_render.render_pdf(html)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{centre.slug}-drill-review-{lang}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
