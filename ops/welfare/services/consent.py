"""Consent to share (情報提供の同意) and referrals to the council's directory.

The rule: a referral to a body outside the council needs the person's consent, in force, to share with that
body; only a 危機介入 case may be referred without it, and the reason is recorded with the referral.
Withdrawing a consent stops new referrals on it and the handover at closing; it never rewrites the past."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.welfare.models import Agency, Case, Consent, Referral
from ops.welfare.services.cases import MAX_TEXT, WelfareError, _user


def _open(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != Case.Status.OPEN:
        raise WelfareError(_("終了したケースには記録できません。"))
    return locked


def _agency(case: Case, agency: Agency | None) -> Agency | None:
    if agency is not None and (agency.centre_id != case.centre_id or not agency.active):
        raise WelfareError(_("紹介先が見つかりません。"), "agency")
    return agency


def give_consent(case: Case, *, by, purpose: str, how: str, given_by: str = Consent.GivenBy.PERSON,
                 given_on=None, agency: Agency | None = None) -> Consent:
    """Record that the person (or family, or a guardian) agreed, how and when, and which staff member heard it."""
    if purpose not in Consent.Purpose.values:
        raise WelfareError(_("同意の目的を選んでください。"), "purpose")
    if how not in Consent.How.values:
        raise WelfareError(_("同意の方法を選んでください。"), "how")
    if given_by not in Consent.GivenBy.values:
        raise WelfareError(_("同意した人を選んでください。"), "given_by")
    if purpose == Consent.Purpose.SHARE and agency is None:
        raise WelfareError(_("情報を提供する紹介先を選んでください。"), "agency")
    with transaction.atomic(), audit.operation("case.consent", by=by):
        case = _open(case)
        agency = _agency(case, agency) if purpose == Consent.Purpose.SHARE else None
        today = case.centre.today()
        given_on = given_on or today
        if given_on > today:
            raise WelfareError(_("同意日に未来の日付は入れられません。"), "given_on")
        in_force = case.consents.filter(purpose=purpose, agency=agency, withdrawn_at__isnull=True).first()
        if in_force is not None:
            return in_force
        return Consent.objects.create(case=case, purpose=purpose, agency=agency, how=how, given_by=given_by,
                                      given_on=given_on, recorded_by=_user(by))


def withdraw_consent(consent: Consent, *, by) -> Consent:
    with transaction.atomic(), audit.operation("case.consent_withdrawn", by=by):
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise WelfareError(_("この同意はすでに撤回されています。"))
        consent.withdrawn_at, consent.withdrawn_by = timezone.now(), _user(by)
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return consent


def refer(case: Case, *, by, agency: Agency, reason: str = "", urgent_reason: str = "",
          referred_on=None) -> Referral:
    """Refer the case to one body of the directory. Outside the council: refused without the person's
    consent in force for that body, unless the case is 危機介入 and `urgent_reason` says why."""
    reason, urgent_reason = reason.strip()[:MAX_TEXT], urgent_reason.strip()[:MAX_TEXT]
    with transaction.atomic(), audit.operation("case.referred", by=by):
        case = _open(case)
        agency = _agency(case, agency)
        if agency is None:
            raise WelfareError(_("紹介先を選んでください。"), "agency")
        consent = None
        if not agency.internal:
            # Locked with the case: a withdrawal at the same moment waits for this referral, or refuses it.
            consent = (case.consents.select_for_update()
                       .filter(purpose=Consent.Purpose.SHARE, agency=agency, withdrawn_at__isnull=True).first())
            if consent is None:
                if case.level != Case.Level.CRISIS:
                    raise WelfareError(_(
                        "%(agency)sへの情報提供について本人の同意が記録されていません。"
                        "先に同意を記録してください（危機介入のケースに限り、理由を記録して紹介できます）。")
                        % {"agency": agency.name}, "agency")
                if not urgent_reason:
                    raise WelfareError(_("同意なしで紹介する理由（生命・身体への差し迫った危険）を記入してください。"),
                                       "urgent_reason")
        else:
            urgent_reason = ""
        today = case.centre.today()
        referred_on = referred_on or today
        if referred_on > today:
            raise WelfareError(_("紹介日に未来の日付は入れられません。"))
        return Referral.objects.create(case=case, agency=agency, referred_on=referred_on, reason=reason,
                                       consent=consent, urgent_reason=urgent_reason if consent is None else "",
                                       by=_user(by))


def record_outcome(referral: Referral, *, by, outcome: str, note: str = "") -> Referral:
    if outcome not in Referral.Outcome.values:
        raise WelfareError(_("結果を選択肢から選んでください。"), "outcome")
    with transaction.atomic(), audit.operation("case.referral_outcome", by=by):
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        referral.outcome, referral.outcome_note = outcome, note.strip()[:MAX_TEXT]
        referral.save(update_fields=["outcome", "outcome_note"])
    return referral
