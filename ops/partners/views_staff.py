"""The centre staff's side of 三者連携 (the technical desk, 技術系窓口): the partner organisations and their logins,
the desk page (needs waiting for an organisation, the open jobs, the recent answers), and offering a need to an
organisation or withdrawing the offer from the need's page. Thin: the forms read, ops.partners.services and
ops.staff.services decide; the counts come from ops.partners.figures (their one home)."""
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ops import privacy
from ops.centres.models import Role
from ops.needs.models import Need, WorkType
from ops.needs.transitions import OPEN as NEED_OPEN
from ops.partners import figures, services
from ops.partners.forms import LoginInviteForm, OfferForm, OrganisationForm, WithdrawForm
from ops.partners.models import Organisation, PartnerJob, PartnerJobChange
from ops.permissions import Cap, can, centre_view
from ops.staff import services as staff_services
from ops.staff.models import INVITATION_HOURS, Invitation

S = PartnerJob.Status
RECENT = 20  # done / declined jobs shown on the desk


# --- organisations -----------------------------------------------------------------------------------------

@centre_view(Cap.VIEW_NEEDS)
def organisations(request, centre):
    """The centre's organisations, what each can do and how many jobs it has open."""
    open_jobs = {row["organisation_id"]: row["open"] for row in figures.by_organisation(centre)}
    orgs = list(Organisation.objects.filter(centre=centre))
    for org in orgs:
        org.open_jobs = open_jobs.get(org.pk, 0)
    return render(request, "partners/staff_organisations.html", {
        "organisations": orgs, "can_manage": can(request.user, centre, Cap.MANAGE_CENTRE)})


def _save(request, centre, form, organisation=None):
    """The form's organisation saved through the service; a refusal is put at its field. Returns it or None."""
    if not form.is_valid():
        return None
    try:
        return services.save_organisation(centre, by=request.user, organisation=organisation,
                                          **form.organisation_fields())
    except services.PartnerRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return None


@centre_view(Cap.MANAGE_CENTRE)
def organisation_new(request, centre):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and (org := _save(request, centre, form)) is not None:
        messages.success(request, _("%(org)sを登録しました。") % {"org": org.name})
        return redirect("partners:staff_organisation", centre=centre.slug, pk=org.pk)
    return render(request, "partners/staff_organisation_form.html", {"form": form, "organisation": None},
                  status=400 if request.method == "POST" else 200)


def _organisation_page(request, centre, org, *, form=None, invite_form=None, link=None, status=200):
    pending = Invitation.objects.usable().filter(centre=centre, organisation=org).select_related("created_by")
    return render(request, "partners/staff_organisation_form.html", {
        "organisation": org, "form": form or OrganisationForm(initial=OrganisationForm.initial_from(org)),
        "invite_form": invite_form or LoginInviteForm(), "link": link, "hours": INVITATION_HOURS,
        "logins": org.users.order_by("username"), "pending": pending,
        "jobs": org.jobs.select_related("need", "work_type")[:50],
    }, status=status)


@never_cache  # a new invitation link is on the page once: never from a cache
@centre_view(Cap.MANAGE_CENTRE)
def organisation(request, centre, pk):
    """The organisation: its details (edited here), its logins (invited and removed here) and its jobs."""
    org = get_object_or_404(Organisation, centre=centre, pk=pk)
    if request.method != "POST":
        return _organisation_page(request, centre, org)
    form = OrganisationForm(request.POST)
    if _save(request, centre, form, org) is not None:
        messages.success(request, _("%(org)sを更新しました。") % {"org": form.cleaned_data["name"]})
        return redirect("partners:staff_organisation", centre=centre.slug, pk=org.pk)
    return _organisation_page(request, centre, org, form=form, status=400)


@never_cache
@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def organisation_invite(request, centre, pk):
    """A login for the organisation: a one-time link to the 協力団体 role, tied to it."""
    org = get_object_or_404(Organisation, centre=centre, pk=pk)
    form = LoginInviteForm(request.POST)
    if not form.is_valid():
        return _organisation_page(request, centre, org, invite_form=form, status=400)
    try:
        invitation, token = staff_services.invite(centre=centre, role=Role.PARTNER, organisation=org,
                                                  email=form.cleaned_data["email"], by=request.user)
    except staff_services.StaffError as error:
        form.add_error(None, error.message)
        return _organisation_page(request, centre, org, invite_form=form, status=400)
    if invitation.email:
        messages.success(request, _("招待メールを送ります。リンクはこの画面でも一度だけ表示します。"))
    return _organisation_page(request, centre, org, link=staff_services.invitation_link(token))


@require_POST
@centre_view(Cap.MANAGE_CENTRE)
def organisation_remove_login(request, centre, pk, member):
    org = get_object_or_404(Organisation, centre=centre, pk=pk)
    try:
        user = staff_services.remove_partner_login(org, member_id=member, by=request.user)
    except staff_services.StaffError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)sさんを%(org)sのログインから外しました。") % {
            "name": user.get_full_name() or user.get_username(), "org": org.name})
    return redirect("partners:staff_organisation", centre=centre.slug, pk=org.pk)


# --- the technical desk --------------------------------------------------------------------------------------

@centre_view(Cap.VIEW_NEEDS)
def desk(request, centre):
    """技術系窓口: the needs waiting for an organisation, the jobs open with organisations, the latest answers."""
    now = timezone.now()
    today = centre.day_of(now)
    waiting = (figures.waiting_needs(centre).order_by("number")
               .prefetch_related(Prefetch("work_types", queryset=WorkType.objects.filter(specialist_only=True),
                                          to_attr="specialist_types")))
    jobs = PartnerJob.objects.filter(centre=centre).select_related("need", "work_type", "organisation")
    open_jobs = list(jobs.filter(status__in=PartnerJob.OPEN).order_by("offered_at", "id"))
    for job in open_jobs:
        job.days_offered = (today - centre.day_of(job.offered_at)).days
    recent = list(jobs.filter(status__in=(S.DONE, S.DECLINED)).order_by("-updated_at", "-id")[:RECENT])
    return render(request, "partners/staff_desk.html", {
        "summary": figures.summary(centre, today), "waiting": waiting, "open_jobs": open_jobs, "recent": recent,
        "can_edit": can(request.user, centre, Cap.EDIT_NEEDS),
    })


# --- the need page's panel: offer and withdraw ------------------------------------------------------------------

def _offer_form(need, data=None):
    work_types = list(need.work_types.all())
    first = next((wt for wt in work_types if wt.capability), None)
    orgs = services.organisations_for(need.centre, first)
    return OfferForm(data, need=need, organisations=orgs, work_types=work_types,
                     initial={"work": str(first.pk) if first else None})


def need_panel(request, centre, need, *, offer_form=None, withdraw_forms=None) -> dict:
    """The need page's 「協力団体への依頼」 panel: the need's jobs with their history (free text as the role's sight
    allows), and for Cap.EDIT_NEEDS the offer form and a withdraw form per open job."""
    sight = privacy.sight_of(request.user, centre)
    jobs = (PartnerJob.objects.filter(need=need).select_related("organisation", "work_type")
            .prefetch_related(Prefetch("history", queryset=PartnerJobChange.objects.select_related("by"))))
    can_offer = can(request.user, centre, Cap.EDIT_NEEDS)
    withdraw_forms = withdraw_forms or {}
    rows = []
    for job in jobs:
        rows.append({
            "job": sight.mask(job), "history": sight.mask_all(job.history.all()),
            "withdraw_form": (withdraw_forms.get(job.pk) or WithdrawForm(initial={"version": job.version}))
            if can_offer and job.is_open else None,
        })
    form = None
    if can_offer and (offer_form is not None or need.status in NEED_OPEN):  # a closed need is offered nothing
        form = offer_form or _offer_form(need)
    return {"partner_jobs": rows, "offer_form": form, **(_offer_options(form) if form else {})}


def _offer_options(form) -> dict:
    """The two selects' options with what desk.js sorts by: the capability a work type calls for and the
    capabilities each organisation has (the server's order is organisations_for's, for the first such work)."""
    work, org = str(form["work"].value() or ""), str(form["organisation"].value() or "")
    return {
        "work_options": [{"value": str(value), "label": label, "selected": str(value) == work,
                          "capability": getattr(form.work_types.get(str(value)), "capability", "")}
                         for value, label in form.fields["work"].choices],
        "organisation_options": [{"value": str(value), "label": label, "selected": str(value) == org,
                                  "capabilities": " ".join(getattr(form.organisations.get(value), "capabilities",
                                                                   None) or [])}
                                 for value, label in form.fields["organisation"].choices],
    }


def _need(centre, pk) -> Need:
    return get_object_or_404(Need.objects.select_related("centre", "duplicate_of"), centre=centre, pk=pk)


def _need_page(request, centre, need, **panel):
    from ops.needs.views import staff as need_views  # the need page is the needs app's; it includes the panel

    return need_views._detail_page(request, centre, need, partner_panel=panel, status=400)


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def offer(request, centre, pk):
    need = _need(centre, pk)
    form = _offer_form(need, request.POST)
    if form.is_valid():
        org, work_type = form.chosen()
        try:
            services.offer(need, org, by=request.user, work_type=work_type, note=form.cleaned_data["note"])
        except services.PartnerRefused as refusal:
            form.add_error(refusal.field if refusal.field in ("organisation", "note") else
                           "work" if refusal.field == "work_type" else None, refusal.message)
        else:
            messages.success(request, _("%(org)sに依頼しました。") % {"org": org.name})
            return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    return _need_page(request, centre, need, offer_form=form)


@require_POST
@centre_view(Cap.EDIT_NEEDS)
def withdraw(request, centre, pk, job):
    need = _need(centre, pk)
    partner_job = get_object_or_404(PartnerJob, need=need, pk=job)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(partner_job, by=request.user, reason=form.cleaned_data["reason"],
                              version=form.cleaned_data["version"])
        except services.PartnerRefused as refusal:
            form.add_error("reason" if refusal.field == "reason" else None, refusal.message)
        else:
            messages.success(request, _("%(org)sへの依頼を取り下げました。") % {"org": partner_job.organisation.name})
            return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    return _need_page(request, centre, need, withdraw_forms={partner_job.pk: form})


urls = [
    path("c/<slug:centre>/partners/", desk, name="staff_desk"),
    path("c/<slug:centre>/partners/organisations/", organisations, name="staff_organisations"),
    path("c/<slug:centre>/partners/organisations/new/", organisation_new, name="staff_organisation_new"),
    path("c/<slug:centre>/partners/organisations/<int:pk>/", organisation, name="staff_organisation"),
    path("c/<slug:centre>/partners/organisations/<int:pk>/invite/", organisation_invite,
         name="staff_organisation_invite"),
    path("c/<slug:centre>/partners/organisations/<int:pk>/logins/<int:member>/remove/", organisation_remove_login,
         name="staff_organisation_remove_login"),
    path("c/<slug:centre>/partners/needs/<int:pk>/offer/", offer, name="staff_offer"),
    path("c/<slug:centre>/partners/needs/<int:pk>/jobs/<int:job>/withdraw/", withdraw, name="staff_withdraw"),
]
