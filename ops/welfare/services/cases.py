"""A household's case: found or made for a need, opened (one open case per household: a second concern is a
contact on it), updated (categories, assignee, priority), its contact log with the next check, closed."""
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.welfare.models import Case, Category, Contact, Household

MAX_TEXT = 4000


class WelfareError(Exception):
    """A refusal, with a message for staff in their language, and the form field it is about (if one)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


_HOUSEHOLDS_LOCK = 0x64766368  # "dvch" + the centre id: one household match at a time per centre


def _lock_households(centre_id: int) -> None:
    """Two needs of one household flagged at the same moment (a team's concern, the survey) must find one
    household, not make two: the match runs under a transaction-scoped advisory lock of the centre's (not
    the centre's row lock, which every check-in takes). SQLite serialises writers anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_HOUSEHOLDS_LOCK, centre_id])


def household_of(need) -> Household:
    """The household a need is about: the one already linked to it, else one of the centre's households with
    the same phone and name or address, or the same name at the same address; else a new one copied from the
    need. Links it.
    Call it inside a transaction (open_case does)."""
    _lock_households(need.centre_id)
    found = Household.objects.filter(needs=need).first()
    if found is None:
        same = Household.objects.filter(centre_id=need.centre_id, personal_data_erased_at=None)
        if need.phone_normalised:
            # A phone alone is not a household: a son calling for his mother and for his aunt gives one
            # number for two homes. The same phone with the same name, or the same address, is.
            found = (same.filter(phone_key=need.phone_normalised)
                     .filter(Q(name_key=need.name_key) | Q(address_key=need.address_key))
                     .order_by("pk").first())
        if found is None and need.address_key and need.name_key:
            found = same.filter(address_key=need.address_key, name_key=need.name_key).order_by("pk").first()
    if found is None:
        found = Household.objects.create(
            centre_id=need.centre_id, name=need.requester_name, kana=need.requester_kana, phone=need.phone,
            address=need.address, district=need.district)
    found.needs.add(need)
    return found


def _next_number(centre_id: int) -> int:
    return (Case.objects.filter(centre_id=centre_id).aggregate(n=Max("number"))["n"] or 0) + 1


def open_case(*, need=None, household: Household | None = None, source: str, level: str = Case.Level.WATCH,
              by=None, summary: str = "", concerns=(), report=None, categories=(),
              contact_found: str = "", actor: str = "") -> tuple[Case, bool]:
    """The household's open case, opened now if it has none; (case, opened). On an open case the new
    concern or note is logged as a contact, and a 危機介入 raises its level and priority. Runs in the
    caller's transaction when there is one (an intake or a return report), so a rolled-back report opens
    nothing. `actor` names who acted when no user did (a leader's report: "leader:<team>")."""
    if source not in Case.Source.values or level not in Case.Level.values:
        raise WelfareError(_("ケースのきっかけか区分が正しくありません。"))
    if need is None and household is None:
        raise WelfareError(_("世帯を選んでください。"))
    user = _user(by)
    with transaction.atomic(), audit.operation("case.opened", by=user,
                                               actor="" if user else (actor or "system")):
        household = household or household_of(need)
        # The household's row lock: two concerns at once make one case, not two.
        Household.objects.select_for_update().filter(pk=household.pk).values_list("pk", flat=True).get()
        case = Case.objects.open().filter(household=household).first()
        note = (summary or contact_found).strip()[:MAX_TEXT]
        if case is not None:
            changed = []
            if level == Case.Level.CRISIS and case.level != Case.Level.CRISIS:
                case.level, case.priority = Case.Level.CRISIS, Case.Priority.URGENT
                changed += ["level", "priority"]
            if concerns:
                case.concerns = sorted(set(case.concerns) | set(concerns))
                changed.append("concerns")
            if changed:
                case.save(update_fields=changed)
            if note or concerns:
                _log(case, method=Contact.Method.TEAM if source == Case.Source.TEAM else Contact.Method.OTHER,
                     with_whom=[Contact.With.TEAM] if source == Case.Source.TEAM else [], found=note, by=user)
            return case, False
        case = _create_numbered(
            centre_id=household.centre_id, household=household, need=need, report=report, source=source,
            level=level, concerns=sorted(set(concerns)), summary=summary.strip()[:MAX_TEXT],
            priority=Case.Priority.URGENT if level == Case.Level.CRISIS else Case.Priority.NORMAL,
            opened_at=timezone.now(), opened_by=user)
        if categories:
            case.categories.set(categories)
        if contact_found.strip():
            _log(case, method=Contact.Method.TEAM if source == Case.Source.TEAM else Contact.Method.OTHER,
                 with_whom=[Contact.With.TEAM] if source == Case.Source.TEAM else [],
                 found=contact_found.strip()[:MAX_TEXT], by=user)
    return case, True


def _create_numbered(*, centre_id, **fields) -> Case:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Case.objects.create(centre_id=centre_id, number=_next_number(centre_id), **fields)
        except IntegrityError:
            if Case.objects.open().filter(household=fields["household"]).exists():
                raise
            continue
    raise WelfareError(_("ケース番号を決められませんでした。もう一度お試しください。"))


def raise_concern(report, *, concerns=(), note: str = "", by=None, actor: str = ""):
    """気になったこと from a team's return report: a case for the welfare staff to look at, opened on the
    need's household (or a contact on its open case). The team learns nothing more of the household."""
    from ops.welfare.concerns import Concern  # the words of the report's checkboxes

    concerns = [c for c in concerns if c in Concern.values]
    note = (note or "").strip()[:MAX_TEXT]
    if not concerns and not note:
        return None
    words = "、".join(str(Concern(c).label) for c in concerns)
    found = "\n".join(x for x in (words, note) if x)
    need = report.dispatch.need
    case, _opened = open_case(need=need, source=Case.Source.TEAM, by=by, concerns=concerns, report=report,
                              contact_found=found, actor=actor)
    return case


def _assignable(case: Case, user) -> bool:
    from ops.welfare.selectors import assignable_staff  # the one list of who may hold a case

    return assignable_staff(case.centre_id).filter(pk=user.pk).exists()


def update_case(case: Case, *, by, categories=None, assignee=..., priority=None, level=None,
                summary=None, next_check_on=...) -> Case:
    """Change what the welfare staff decide about a case. The assignee must be the centre's welfare staff
    or administrator."""
    if case.status != Case.Status.OPEN:
        raise WelfareError(_("終了したケースは変更できません。"))
    with transaction.atomic(), audit.operation("case.updated", by=by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        fields = []
        if assignee is not ...:
            if assignee is not None and not _assignable(case, assignee):
                raise WelfareError(_("担当者はこのセンターの福祉担当から選んでください。"), "assignee")
            case.assignee = assignee
            fields.append("assignee")
        if priority is not None:
            if priority not in Case.Priority.values:
                raise WelfareError(_("優先度を選択肢から選んでください。"), "priority")
            case.priority = priority
            fields.append("priority")
        if level is not None:
            if level not in Case.Level.values:
                raise WelfareError(_("区分を選択肢から選んでください。"), "level")
            case.level = level
            fields.append("level")
        if summary is not None:
            case.summary = summary.strip()[:MAX_TEXT]
            fields.append("summary")
        if next_check_on is not ...:
            case.next_check_on = next_check_on
            fields.append("next_check_on")
        if fields:
            case.save(update_fields=fields)
        if categories is not None:
            wanted = list(categories)
            if any(c.centre_id != case.centre_id for c in wanted):
                raise WelfareError(_("課題の区分が見つかりません。"), "categories")
            case.categories.set(wanted)
            audit.changed(case, fields=["categories"])
    return case


def _log(case: Case, *, method, with_whom=(), found="", agreed="", next_check_on=None, at=None, by=None) -> Contact:
    return Contact.objects.create(case=case, at=at or timezone.now(), method=method, with_whom=list(with_whom),
                                  found=found, agreed=agreed, next_check_on=next_check_on, by=by)


def add_contact(case: Case, *, by, method: str, with_whom=(), found: str = "", agreed: str = "",
                next_check_on: date | None = None, at=None) -> Contact:
    """Log a visit, call or meeting; its next check date becomes the case's (none given: no check is due)."""
    if method not in Contact.Method.values:
        raise WelfareError(_("方法を選択肢から選んでください。"), "method")
    bad = [w for w in with_whom if w not in Contact.With.values]
    if bad:
        raise WelfareError(_("相手を選択肢から選んでください。"), "with_whom")
    found, agreed = found.strip()[:MAX_TEXT], agreed.strip()[:MAX_TEXT]
    if not (found or agreed):
        raise WelfareError(_("把握したことか合意したことを記入してください。"), "found")
    with transaction.atomic(), audit.operation("case.contact", by=by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != Case.Status.OPEN:
            raise WelfareError(_("終了したケースには記録できません。"))
        today = case.centre.today()
        if next_check_on is not None and next_check_on < today:
            raise WelfareError(_("次回確認日は今日以降の日付にしてください。"), "next_check_on")
        contact = _log(case, method=method, with_whom=with_whom, found=found, agreed=agreed,
                       next_check_on=next_check_on, at=at, by=_user(by))
        case.next_check_on = next_check_on
        case.save(update_fields=["next_check_on"])
    return contact


def add_note(case: Case, *, note: str, by=None) -> Contact | None:
    """A note typed on the need's page about a household with an open case: a line of its log."""
    note = note.strip()[:MAX_TEXT]
    if not note:
        return None
    with audit.operation("case.contact", by=_user(by)):
        return _log(case, method=Contact.Method.OTHER, found=note, by=_user(by))


def close_case(case: Case, *, by, note: str = "") -> Case:
    """The welfare staff closed the case (resolved, moved away, handed to a body that now follows it)."""
    note = note.strip()[:MAX_TEXT]
    if not note:
        raise WelfareError(_("終了の理由を記入してください。"), "note")
    with transaction.atomic(), audit.operation("case.closed", by=by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != Case.Status.OPEN:
            raise WelfareError(_("このケースはすでに終了しています。"))
        case.status, case.closed_at, case.closed_by, case.close_note = (
            Case.Status.CLOSED, timezone.now(), _user(by), note)
        case.next_check_on = None
        case.save(update_fields=["status", "closed_at", "closed_by", "close_note", "next_check_on"])
    return case


def seed_directory(centre) -> None:
    """A new centre's categories (SEED_CATEGORIES) and its first directory entry, the council's own desk."""
    from ops.welfare.models import SEED_CATEGORIES, Agency

    for order, (code, name) in enumerate(SEED_CATEGORIES):
        Category.objects.get_or_create(centre=centre, code=code,
                                       defaults={"name": name, "order": order * 10})
    if not Agency.objects.filter(centre=centre).exists():
        Agency.objects.create(centre=centre, kind=Agency.Kind.COUNCIL, name="総合相談", internal=True)
