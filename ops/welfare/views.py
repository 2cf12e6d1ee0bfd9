"""The welfare staff's pages: the case list (overdue first), a case with its forms, the directory.

Each form posts to its own URL: on success it redirects back to the page (PRG); refused, the page is shown
again with status 400, what was typed kept and the reason next to it. Views parse and call one service."""
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ops import audit
from ops.messages.models import OutboundMail
from ops.messages.selectors import latest_about
from ops.needs.models import Need
from ops.permissions import Cap, centre_view
from ops.welfare import forms, selectors, services
from ops.welfare.models import Agency, Case, Category, Consent, Referral
from ops.welfare.services import directory
from ops.welfare.services.cases import WelfareError

PAGE_SIZE = 50


def _refused(form, err: WelfareError) -> None:
    """The service's reason next to the field it is about (else above the form)."""
    form.add_error(err.field if err.field in form.fields else None, err.message)


# --- the list ------------------------------------------------------------------------------------------------

@centre_view(Cap.WELFARE)
def case_list(request, centre):
    status = request.GET.get("status", Case.Status.OPEN)
    if status not in Case.Status.values:
        status = Case.Status.OPEN
    mine = request.GET.get("mine") == "1"
    category = request.GET.get("category", "")
    categories = Category.objects.filter(centre=centre)
    if category not in {c.code for c in categories}:
        category = ""
    today = centre.today()
    qs = selectors.cases_filtered(centre, status=status, assignee=request.user if mine else None,
                                  category=category)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # A 危機介入 alert is about the need that raised it: its state (sent, failed, unknown) shows on the row.
    alerts = latest_about([c.need for c in page if c.need_id], kind=OutboundMail.Kind.CRISIS_ALERT)
    for case in page:
        case.alert = alerts.get(case.need_id)
    query = request.GET.copy()
    query.pop("page", None)
    tab = request.GET.copy()
    tab.pop("page", None)
    tab.pop("status", None)
    return render(request, "welfare/list.html", {
        "page": page, "status": status, "statuses": Case.Status.choices, "today": today,
        "overdue": selectors.overdue(centre, today), "mine": mine, "category": category,
        "categories": categories, "query": query.urlencode(), "tab_query": tab.urlencode(),
    })


# --- one case --------------------------------------------------------------------------------------------------

def _case(centre, pk) -> Case:
    return get_object_or_404(Case.objects.select_related("household", "assignee", "need", "centre"),
                             centre=centre, pk=pk)


def _case_page(request, centre, case, *, status=200, **bound):
    """The case page; `bound` holds the one form that was refused (with what was typed)."""
    # Every read of a case is on the trail (who looked at this household, when), a refused form's page too.
    audit.record(centre=centre, action="case.read", obj=case, by=request.user)
    referrals = list(case.referrals.select_related("agency", "consent", "by"))
    failed_outcome = bound.pop("outcome", None)
    for r in referrals:
        r.form = failed_outcome if failed_outcome is not None and failed_outcome.referral_pk == r.pk \
            else forms.OutcomeForm(referral=r)
    consents = list(case.consents.select_related("agency", "recorded_by", "withdrawn_by"))
    agencies = Agency.objects.filter(centre=centre, active=True)
    consented = {c.agency_id for c in consents if c.in_force and c.purpose == Consent.Purpose.SHARE}
    editable = case.status == Case.Status.OPEN
    context = {
        "case": case, "today": centre.today(), "editable": editable,
        "contacts": case.contacts.select_related("by"),
        "consents": consents, "referrals": referrals,
        # Before the referral is sent, which bodies it may go to: the council's own, or with consent in force.
        "agencies": [(a, a.internal or a.pk in consented) for a in agencies],
        "crisis": case.level == Case.Level.CRISIS,
    }
    if editable:
        context.update({
            "case_form": bound.get("case_form") or forms.CaseForm(case=case),
            "contact_form": bound.get("contact_form") or forms.ContactForm(centre=centre),
            "consent_form": bound.get("consent_form") or forms.ConsentForm(case=case),
            "referral_form": bound.get("referral_form") or forms.ReferralForm(case=case),
            "close_form": bound.get("close_form") or forms.CloseForm(),
        })
    return render(request, "welfare/case.html", context, status=status)


@centre_view(Cap.WELFARE)
def case_detail(request, centre, pk):
    return _case_page(request, centre, _case(centre, pk))


def _done(request, centre, case, message, anchor=""):
    messages.success(request, message)
    response = redirect("welfare:case", centre=centre.slug, pk=case.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_POST
@centre_view(Cap.WELFARE)
def case_update(request, centre, pk):
    case = _case(centre, pk)
    form = forms.CaseForm(request.POST, case=case)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.update_case(case, by=request.user, categories=list(d["categories"]), assignee=d["assignee"],
                                 priority=d["priority"], level=d["level"], summary=d["summary"])
        except WelfareError as err:
            _refused(form, err)
        else:
            return _done(request, centre, case, _("ケースの内容を保存しました。"), "case-form")
    return _case_page(request, centre, case, status=400, case_form=form)


@require_POST
@centre_view(Cap.WELFARE)
def case_contact(request, centre, pk):
    case = _case(centre, pk)
    form = forms.ContactForm(request.POST, centre=centre)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_contact(case, by=request.user, method=d["method"], with_whom=d["with_whom"],
                                 found=d["found"], agreed=d["agreed"], next_check_on=d["next_check_on"],
                                 at=form.moment())
        except WelfareError as err:
            _refused(form, err)
        else:
            return _done(request, centre, case, _("支援記録を追加しました。"), "contacts")
    return _case_page(request, centre, case, status=400, contact_form=form)


@require_POST
@centre_view(Cap.WELFARE)
def case_consent(request, centre, pk):
    case = _case(centre, pk)
    form = forms.ConsentForm(request.POST, case=case)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.give_consent(case, by=request.user, purpose=d["purpose"], how=d["how"],
                                  given_by=d["given_by"], given_on=d["given_on"], agency=d["agency"])
        except WelfareError as err:
            _refused(form, err)
        else:
            return _done(request, centre, case, _("同意を記録しました。"), "consents")
    return _case_page(request, centre, case, status=400, consent_form=form)


@require_POST
@centre_view(Cap.WELFARE)
def consent_withdraw(request, centre, pk, consent):
    case = _case(centre, pk)
    consent = get_object_or_404(Consent, case=case, pk=consent)
    try:
        services.withdraw_consent(consent, by=request.user)
    except WelfareError as err:
        messages.error(request, err.message)
        return _case_page(request, centre, case, status=400)
    return _done(request, centre, case, _("同意の撤回を記録しました。これから先の紹介と引き継ぎには使えません。"),
                 "consents")


@require_POST
@centre_view(Cap.WELFARE)
def case_refer(request, centre, pk):
    case = _case(centre, pk)
    form = forms.ReferralForm(request.POST, case=case)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.refer(case, by=request.user, agency=d["agency"], reason=d["reason"],
                           urgent_reason=d.get("urgent_reason", ""))
        except WelfareError as err:
            _refused(form, err)
        else:
            return _done(request, centre, case, _("紹介を記録しました。"), "referrals")
    return _case_page(request, centre, case, status=400, referral_form=form)


@require_POST
@centre_view(Cap.WELFARE)
def referral_outcome(request, centre, pk, referral):
    case = _case(centre, pk)
    referral = get_object_or_404(Referral, case=case, pk=referral)
    form = forms.OutcomeForm(request.POST, referral=referral)
    form.referral_pk = referral.pk
    if form.is_valid():
        try:
            services.record_outcome(referral, by=request.user, outcome=form.cleaned_data["outcome"],
                                    note=form.cleaned_data["note"])
        except WelfareError as err:
            _refused(form, err)
        else:
            return _done(request, centre, case, _("紹介の結果を記録しました。"), "referrals")
    return _case_page(request, centre, case, status=400, outcome=form)


@require_POST
@centre_view(Cap.WELFARE)
def case_close(request, centre, pk):
    case = _case(centre, pk)
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_case(case, by=request.user, note=form.cleaned_data["note"])
        except WelfareError as err:
            _refused(form, err)
        else:
            return _done(request, centre, case, _("ケースを終了しました。"))
    return _case_page(request, centre, case, status=400, close_form=form)


@require_POST
@centre_view(Cap.WELFARE)
def case_open(request, centre, need):
    """福祉ケースを開く from the need's page, on the staff member's own judgement."""
    need = get_object_or_404(Need, centre=centre, pk=need)
    try:
        case, opened = services.open_case(need=need, source=Case.Source.STAFF, by=request.user)
    except WelfareError as err:
        messages.error(request, err.message)
        return redirect("needs:detail", centre=centre.slug, pk=need.pk)
    return _done(request, centre, case, _("福祉ケースを開きました。") if opened
                 else _("この世帯にはすでに対応中のケースがあります。"))


# --- the directory ---------------------------------------------------------------------------------------------

def _directory_page(request, centre, *, status=200, agency_form=None, category_form=None):
    return render(request, "welfare/directory.html", {
        "agencies": Agency.objects.filter(centre=centre),
        "categories": Category.objects.filter(centre=centre),
        "agency_form": agency_form or forms.AgencyForm(),
        "category_form": category_form or forms.CategoryForm(),
    }, status=status)


@centre_view(Cap.WELFARE)
def directory_page(request, centre):
    return _directory_page(request, centre)


@require_POST
@centre_view(Cap.WELFARE)
def agency_add(request, centre):
    form = forms.AgencyForm(request.POST)
    if form.is_valid():
        try:
            directory.add_agency(centre, by=request.user, **form.cleaned_data)
        except WelfareError as err:
            _refused(form, err)
        else:
            messages.success(request, _("紹介先を追加しました。"))
            return redirect("welfare:directory", centre=centre.slug)
    return _directory_page(request, centre, status=400, agency_form=form)


@centre_view(Cap.WELFARE)
def agency_edit(request, centre, pk):
    agency = get_object_or_404(Agency, centre=centre, pk=pk)
    form = forms.AgencyForm(instance=agency)
    status = 200
    if request.method == "POST":
        form = forms.AgencyForm(request.POST, instance=Agency.objects.get(pk=agency.pk))
        if form.is_valid():
            try:
                directory.update_agency(agency, by=request.user, **form.cleaned_data)
            except WelfareError as err:
                _refused(form, err)
            else:
                messages.success(request, _("紹介先を保存しました。"))
                return redirect("welfare:directory", centre=centre.slug)
        status = 400
    return render(request, "welfare/agency.html", {"agency": agency, "form": form}, status=status)


@require_POST
@centre_view(Cap.WELFARE)
def category_add(request, centre):
    form = forms.CategoryForm(request.POST)
    if form.is_valid():
        try:
            directory.add_category(centre, by=request.user, **form.cleaned_data)
        except WelfareError as err:
            _refused(form, err)
        else:
            messages.success(request, _("課題の区分を追加しました。"))
            return redirect("welfare:directory", centre=centre.slug)
    return _directory_page(request, centre, status=400, category_form=form)


@require_POST
@centre_view(Cap.WELFARE)
def category_active(request, centre, pk):
    category = get_object_or_404(Category, centre=centre, pk=pk)
    active = request.POST.get("active") == "1"
    directory.set_category_active(category, by=request.user, active=active)
    messages.success(request, _("「%(name)s」を使用中にしました。") % {"name": category.label} if active
                     else _("「%(name)s」の使用をやめました。") % {"name": category.label})
    return redirect("welfare:directory", centre=centre.slug)
