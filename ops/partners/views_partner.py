"""協力団体のページ: an organisation's login, on a phone, lists the jobs routed to it and answers each one
(受諾, 辞退, 日程, 対応報告). What it reads of a need is ops.partners.selectors.job_sheet's alone.

A job of another organisation or another centre is not found (404), never forbidden: the answer must not
say that it exists. Refused steps come back on the page (400) with what was typed."""
from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ops import audit, days, privacy
from ops.needs.views.staff import photo_response
from ops.partners import selectors, services
from ops.partners.models import JobPhoto, PartnerJob
from ops.partners.services import MAX_PHOTOS, STEPS, PartnerRefused
from ops.permissions import Cap, can, centre_view, may_work_job
from ops.privacy import Kind


class StepForm(forms.Form):
    """Every step carries the job's version as the page showed it: an answer to a page someone else has
    changed since is refused (services' `version`)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1,
                                 error_messages={"required": gettext_lazy("画面を読み込み直してください。"),
                                                 "invalid": gettext_lazy("画面を読み込み直してください。")})


class DeclineForm(StepForm):
    reason = forms.CharField(label=gettext_lazy("辞退の理由"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(StepForm):
    on = forms.DateField(label=gettext_lazy("対応予定日"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=gettext_lazy("補足（時間帯・人数など）"), max_length=200, required=False)

    def clean_on(self):
        on = self.cleaned_data.get("on")
        if on is not None and not days.in_range(on):
            raise forms.ValidationError(_("日付を確認してください。"))
        return on


class CompleteForm(StepForm):
    outcome = forms.ChoiceField(label=gettext_lazy("結果"), choices=PartnerJob.Outcome.choices, required=False,
                                widget=forms.RadioSelect)
    note = forms.CharField(label=gettext_lazy("対応内容・残っている作業"), max_length=4000, required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))
    photos = forms.Field(required=False)  # the files are read from request.FILES; the field holds their errors


FORMS = {"accept": StepForm, "decline": DeclineForm, "schedule": ScheduleForm, "complete": CompleteForm}


def _job(request, centre, pk) -> PartnerJob:
    """The job when it is one of the user's organisations' at this centre; not found otherwise."""
    job = get_object_or_404(PartnerJob.objects.select_related("need", "organisation", "work_type", "centre"),
                            centre=centre, pk=pk)
    if not may_work_job(request.user, job):
        raise Http404
    return job


@centre_view(Cap.PARTNER_WORK)
def job_list(request, centre):
    jobs = list(selectors.jobs_for(request.user, centre))
    return render(request, "partners/partner_list.html", {
        "open_jobs": [j for j in jobs if j.is_open], "closed_jobs": [j for j in jobs if not j.is_open],
        "recent_days": selectors.RECENT.days,
    })


@centre_view(Cap.PARTNER_WORK)
def job_page(request, centre, pk):
    return _page(request, centre, _job(request, centre, pk))


def _page(request, centre, job, *, bound=None, status=200):
    """The sheet and the forms of the steps its status allows; `bound`: the step's form as it was sent."""
    sheet = selectors.job_sheet(job, accepted_view=job.status in selectors.CONTACT_STATUSES)
    if sheet.contact is not None:
        audit.record_view(centre=centre, obj=job.need, by=request.user)  # who read a resident's phone
    initial = {step: {"version": job.version} for step in FORMS}
    initial["schedule"].update(on=job.scheduled_for, note=job.schedule_note)  # a change starts from the day set
    step_forms = {step: form_class(prefix=step, initial=initial[step])
                  for step, form_class in FORMS.items() if job.status in STEPS[step]}
    if bound is not None:
        step_forms[bound.prefix] = bound
    return render(request, "partners/partner_job.html", {
        "sheet": sheet, "forms": step_forms, "max_photos": MAX_PHOTOS,
    }, status=status)


def _answer(request, centre, pk, step, act):
    """Parse the step's form and call its service; back to the page with a message, or the form with its
    refusal (400)."""
    job = _job(request, centre, pk)
    form = FORMS[step](request.POST, prefix=step)
    if form.is_valid():
        try:
            act(job, form.cleaned_data)
        except PartnerRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, DONE_MESSAGES[step])
            return redirect("partners:partner_job", centre=centre.slug, pk=job.pk)
    job.refresh_from_db()
    return _page(request, centre, job, bound=form, status=400)


DONE_MESSAGES = {
    "accept": gettext_lazy("受諾しました。依頼者に連絡して日程を決めてください。"),
    "decline": gettext_lazy("辞退をセンターに伝えました。"),
    "schedule": gettext_lazy("対応予定日をセンターに伝えました。"),
    "complete": gettext_lazy("対応報告をセンターに送りました。"),
}


@require_POST
@centre_view(Cap.PARTNER_WORK)
def accept(request, centre, pk):
    return _answer(request, centre, pk, "accept", lambda job, data: services.accept(
        job, by=request.user, version=data["version"]))


@require_POST
@centre_view(Cap.PARTNER_WORK)
def decline(request, centre, pk):
    return _answer(request, centre, pk, "decline", lambda job, data: services.decline(
        job, by=request.user, reason=data["reason"], version=data["version"]))


@require_POST
@centre_view(Cap.PARTNER_WORK)
def schedule(request, centre, pk):
    return _answer(request, centre, pk, "schedule", lambda job, data: services.schedule(
        job, by=request.user, on=data["on"], note=data["note"], version=data["version"]))


@require_POST
@centre_view(Cap.PARTNER_WORK)
def complete(request, centre, pk):
    return _answer(request, centre, pk, "complete", lambda job, data: services.complete(
        job, by=request.user, outcome=data["outcome"], note=data["note"], version=data["version"],
        photos=request.FILES.getlist("complete-photos")))


@centre_view(Cap.PARTNER_WORK, privacy.SEEN_WITH[Kind.PHOTOS])
def photo(request, centre, pk):
    """A job's photo: to its organisation's users and to the staff who see site photos."""
    item = get_object_or_404(JobPhoto.objects.select_related("job__centre"), job__centre=centre, pk=pk)
    if not (can(request.user, centre, privacy.SEEN_WITH[Kind.PHOTOS]) or may_work_job(request.user, item.job)):
        raise Http404
    return photo_response(item.image)


urls = [
    path("c/<slug:centre>/partner/", job_list, name="partner_jobs"),
    path("c/<slug:centre>/partner/jobs/<int:pk>/", job_page, name="partner_job"),
    path("c/<slug:centre>/partner/jobs/<int:pk>/accept/", accept, name="partner_accept"),
    path("c/<slug:centre>/partner/jobs/<int:pk>/decline/", decline, name="partner_decline"),
    path("c/<slug:centre>/partner/jobs/<int:pk>/schedule/", schedule, name="partner_schedule"),
    path("c/<slug:centre>/partner/jobs/<int:pk>/complete/", complete, name="partner_complete"),
    path("c/<slug:centre>/partner/photos/<int:pk>/", photo, name="partner_photo"),
]
