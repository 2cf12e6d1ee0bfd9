"""The audit trail: who changed what, for needs, dispatches and personal data, and who opened a resident's
personal data (record_view). This module is the only writer of AuditEntry.

Entries name the fields that changed, never their contents, so the trail itself holds no personal data.
Every change reaches the trail through `changed`: the save signals of the audited models call it
(ops.centres.auditing), and services call it for writes no signal sees (a status set by UPDATE, a check-in
inserted by raw SQL). A service names its business operation with `operation`, so the trail holds one row per
record the operation changed, named after it ("dispatch.created"), not one row per save ("create",
"update", "update"). Administrators read it at /c/<centre>/audit/, where the stored codes (model labels,
field names, actions, actors) are shown as words in the page's language.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as default
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from ops.centres.models import AuditEntry

# Who acts from here on in this request, task or thread: (user, "") or (None, label). AuditMiddleware and the
# API set it per request; a task or a command runs as "system".
_actor: ContextVar[tuple] = ContextVar("dvc_audit_actor", default=(None, "system"))


def set_actor(user=None, label: str = ""):
    """Who is acting from here on (in this request, task or thread); returns a token for reset_actor."""
    if user is not None and getattr(user, "is_authenticated", False):
        return _actor.set((user, ""))
    return _actor.set((None, label or "anonymous"))


def reset_actor(token) -> None:
    _actor.reset(token)


def _who(by=None, actor: str = "") -> tuple:
    """(user, actor label): a signed-in user; else the label given; else whoever this request or task is."""
    if by is not None and getattr(by, "is_authenticated", False):
        return by, ""
    if actor:
        return None, actor
    return _actor.get()


def record(*, centre, action: str, obj, by=None, actor: str = "", fields=(), note: str = "") -> AuditEntry:
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        centre_id=getattr(centre, "pk", centre),
        user=user,
        actor=actor[:60],
        action=action[:40],
        object_type=obj._meta.label_lower[:40],
        object_id=str(obj.pk),
        fields=sorted(fields),
        note=note[:200],
    )


# --- Operations: one row per record changed -------------------------------------------------------------------

@dataclass
class _Change:
    obj: object
    centre_id: int | None
    fields: set = default(default_factory=set)
    note: str = ""


@dataclass
class _Operation:
    action: str
    who: tuple
    centre_id: int | None = None
    changes: dict = default(default_factory=dict)  # (label, pk) -> _Change, in the order first touched

    def add(self, obj, centre_id, fields, note):
        change = self.changes.setdefault((obj._meta.label_lower, str(obj.pk)), _Change(obj, centre_id))
        change.fields.update(fields)
        change.note = note or change.note
        if change.centre_id is None:
            change.centre_id = centre_id

    def act(self, *, by=None, actor: str = "") -> None:
        """Who did it, once the service knows (a leader's report names the team it has just locked)."""
        self.who = _who(by, actor)

    def write(self):
        user, actor = self.who
        for change in self.changes.values():
            record(centre=change.centre_id or self.centre_id, action=self.action, obj=change.obj, by=user, actor=actor,
                   fields=change.fields, note=change.note)


_operation: ContextVar[_Operation | None] = ContextVar("dvc_audit_operation", default=None)


@contextmanager
def operation(action: str, *, by=None, actor: str = "", centre=None):
    """Name the business operation the saves inside belong to. Put it inside the service's transaction:
    when the block ends the trail gets one row per record changed in it (the fields of all its saves
    together), named `action`, by `by` (or `actor`), at the record's centre (or `centre`: a volunteer
    belongs to none). Nothing is written when the block raises or the transaction is already marked to
    roll back. Inside another operation it adds to that one: an import records needs through intake, and
    the rows say "import". Yields the operation (`act` names who did it once the service knows)."""
    outer = _operation.get()
    if outer is not None:
        yield outer
        return
    current = _Operation(action=action, who=_who(by, actor), centre_id=getattr(centre, "pk", centre))
    token = _operation.set(current)
    try:
        yield current
    finally:
        _operation.reset(token)
    connection = transaction.get_connection()
    if connection.in_atomic_block and connection.needs_rollback:
        return
    current.write()


def changed(obj, *, fields=(), created: bool = False, by=None, actor: str = "", note: str = "",
            centre=None) -> None:
    """`obj` was created or had `fields` changed. Inside an operation this joins the operation's row for the
    record; alone it is a row of its own ("create" or "update")."""
    centre_id = getattr(centre, "pk", centre) if centre is not None else centre_of(obj)
    _settle(obj, fields)
    current = _operation.get()
    if current is not None:
        current.add(obj, centre_id, fields, note)
        return
    user, label = _who(by, actor)
    record(centre=centre_id, action="create" if created else "update", obj=obj, by=user, actor=label,
           fields=fields, note=note)


def happened(action: str, obj, *, centre, by=None, actor: str = "", note: str = "") -> AuditEntry:
    """An act on a record that changes none of its fields (a volunteer's personal link mailed to them): a row
    of its own, at `centre` (the centre whose page it happened on, so that centre's trail shows it)."""
    user, label = _who(by, actor)
    return record(centre=centre, action=action, obj=obj, by=user, actor=label, note=note)


def _settle(obj, fields) -> None:
    """The record as loaded (ops.centres.auditing keeps it to compare at save) now holds these values too:
    a later save of the same object does not report a change written by UPDATE a second time."""
    initial = getattr(obj, "_audit_initial", None)
    if initial:
        for name in fields:
            if name in initial:
                initial[name] = getattr(obj, name, None)


def deleted(obj) -> None:
    """A record was deleted (always a row of its own: the operation's rows name records that still exist)."""
    user, label = _who()
    record(centre=centre_of(obj), action="delete", obj=obj, by=user, actor=label)


def centre_of(obj):
    """The id of the centre the record belongs to (through its need, team, dispatch or tool), or None."""
    for path in ("centre_id", "need.centre_id", "kind.centre_id", "consumable.centre_id", "team.centre_id",
                 "dispatch.centre_id", "case.centre_id", "job.centre_id", "registered_centre_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        if value is not None:
            return value
    return None


VIEW_WINDOW = timedelta(minutes=10)


def record_view(*, centre, obj, by, action: str = "personal.view") -> AuditEntry | None:
    """A staff member opened a page showing this record's personal data (a resident's name, phone, address or
    household); `personal.card` for the printable card. Who looked at a household in crisis is a question the
    welfare side must be able to answer. One entry per person, record and action in VIEW_WINDOW, so a reload
    or a busy page is not a new look."""
    if not getattr(by, "is_authenticated", False):
        return None
    object_type = obj._meta.label_lower[:40]
    recent = AuditEntry.objects.filter(user=by, action=action, object_type=object_type, object_id=str(obj.pk),
                                       at__gte=timezone.now() - VIEW_WINDOW)
    if recent.exists():
        return None
    return record(centre=centre, action=action, obj=obj, by=by)


def changed_fields(before: dict, after: dict) -> list[str]:
    """Names of the keys whose values differ (for `record(fields=...)`)."""
    return sorted(k for k in after if before.get(k) != after.get(k))


# --- Reading the trail ------------------------------------------------------------------------------------

ACTIONS = {
    "create": pgettext_lazy("audit action", "作成"),
    "update": pgettext_lazy("audit action", "変更"),
    "delete": pgettext_lazy("audit action", "削除"),
    "erase_personal": pgettext_lazy("audit action", "個人情報の消去"),
    "not_duplicate": pgettext_lazy("audit action", "重複ではないと判断"),  # entries written before 2026-07
    "need.created": pgettext_lazy("audit action", "ニーズ受付"),
    "api_token.created": pgettext_lazy("audit action", "APIトークン発行"),
    "api_token.revoked": pgettext_lazy("audit action", "APIトークン失効"),
    "need.update": pgettext_lazy("audit action", "ニーズの変更"),
    "need.placed": pgettext_lazy("audit action", "ニーズの位置の設定"),
    "need.status": pgettext_lazy("audit action", "ニーズの状況変更"),
    "need.survey": pgettext_lazy("audit action", "現地調査の記録"),
    "need.welfare": pgettext_lazy("audit action", "福祉的支援の設定"),
    "need.withdrawn": pgettext_lazy("audit action", "依頼者による取下げ"),
    "case.opened": pgettext_lazy("audit action", "福祉ケースの開始"),
    "case.read": pgettext_lazy("audit action", "福祉ケースの閲覧"),
    "case.printed": pgettext_lazy("audit action", "福祉ケースの印刷（引き継ぎ）"),
    "case.updated": pgettext_lazy("audit action", "福祉ケースの変更"),
    "case.contact": pgettext_lazy("audit action", "支援記録の追加"),
    "case.consent": pgettext_lazy("audit action", "情報提供の同意の記録"),
    "case.consent_withdrawn": pgettext_lazy("audit action", "情報提供の同意の撤回"),
    "case.referred": pgettext_lazy("audit action", "関係機関への紹介"),
    "case.referral_outcome": pgettext_lazy("audit action", "紹介の結果の記録"),
    "case.closed": pgettext_lazy("audit action", "福祉ケースの終了"),
    "directory.agency_added": pgettext_lazy("audit action", "紹介先の追加"),
    "directory.agency_updated": pgettext_lazy("audit action", "紹介先の変更"),
    "directory.category_added": pgettext_lazy("audit action", "課題の区分の追加"),
    "directory.category_active": pgettext_lazy("audit action", "課題の区分の使用・停止"),
    "need.import": pgettext_lazy("audit action", "ニーズの一括取込"),
    "volunteer.register": pgettext_lazy("audit action", "ボランティア登録"),
    "volunteer.update": pgettext_lazy("audit action", "登録内容の変更"),
    "volunteer.link_on_register": pgettext_lazy("audit action", "登録済みの方の再登録（個人リンクを登録先へ送信）"),
    "volunteer.link_on_signin": pgettext_lazy("audit action", "電話番号とフリガナでの呼び出し（個人リンクを登録先へ送信）"),
    "volunteer.link_renewed": pgettext_lazy("audit action", "個人リンクの再発行"),
    "group.register": pgettext_lazy("audit action", "団体登録"),
    "attendance.check_in": pgettext_lazy("audit action", "受付"),
    "attendance.check_out": pgettext_lazy("audit action", "活動終了"),
    "dispatch.created": pgettext_lazy("audit action", "送り出し"),
    "dispatch.returned": pgettext_lazy("audit action", "活動報告"),
    "dispatch.cancelled": pgettext_lazy("audit action", "送り出し取消"),
    "dispatch.contacted": pgettext_lazy("audit action", "帰着遅れの班への連絡"),
    "desk.granted": pgettext_lazy("audit action", "デスク担当を任せる"),
    "desk.ended": pgettext_lazy("audit action", "デスク担当の終了"),
    "tools.kind_added": pgettext_lazy("audit action", "資機材の登録"),
    "tools.kind_renamed": pgettext_lazy("audit action", "資機材の名前の変更"),
    "tools.kind_retired": pgettext_lazy("audit action", "資機材の使用終了"),
    "tools.kind_reinstated": pgettext_lazy("audit action", "資機材の使用再開"),
    "tools.stock_moved": pgettext_lazy("audit action", "資機材の受入・払出"),
    "tools.lent": pgettext_lazy("audit action", "資機材の貸出"),
    "tools.returned": pgettext_lazy("audit action", "資機材の返却"),
    "tools.items_numbered": pgettext_lazy("audit action", "資機材の番号付け"),
    "tools.item_retired": pgettext_lazy("audit action", "番号付き資機材の使用終了"),
    "consumables.added": pgettext_lazy("audit action", "消耗品の登録"),
    "consumables.retired": pgettext_lazy("audit action", "消耗品の使用終了"),
    "consumables.received": pgettext_lazy("audit action", "消耗品の受入"),
    "consumables.handed_out": pgettext_lazy("audit action", "消耗品の配布"),
    "consumables.written_off": pgettext_lazy("audit action", "消耗品の廃棄"),
    "centre.recruitment": pgettext_lazy("audit action", "募集状況の変更"),
    "centre.notices": pgettext_lazy("audit action", "お知らせ・持ち物の変更"),
    "centre.public_info": pgettext_lazy("audit action", "公開情報の変更"),
    "centre.status": pgettext_lazy("audit action", "開設状況の変更"),
    "centre.profile": pgettext_lazy("audit action", "センター情報の変更"),
    "centre.hours": pgettext_lazy("audit action", "受付時間・帰着期限の変更"),
    "centre.terms": pgettext_lazy("audit action", "保険案内・近隣市町村の変更"),
    "centre.alerts": pgettext_lazy("audit action", "危機介入の通知先の変更"),
    "base.created": pgettext_lazy("audit action", "拠点の追加"),
    "base.updated": pgettext_lazy("audit action", "拠点の変更"),
    "base.retired": pgettext_lazy("audit action", "拠点の廃止"),
    "base.restored": pgettext_lazy("audit action", "拠点の再開"),
    "capacity_day.set": pgettext_lazy("audit action", "日別の受入上限の設定"),
    "capacity_day.cleared": pgettext_lazy("audit action", "日別の受入上限の解除"),
    "centre.opened": pgettext_lazy("audit action", "センター開設"),
    "council.info": pgettext_lazy("audit action", "社会福祉協議会の公開情報の変更"),
    "installation.set_up": pgettext_lazy("audit action", "初期設定（最初の管理者）"),
    "staff.invited": pgettext_lazy("audit action", "スタッフの招待"),
    "staff.invitation_revoked": pgettext_lazy("audit action", "招待の取消"),
    "staff.joined": pgettext_lazy("audit action", "招待によるスタッフ登録"),
    "staff.role_changed": pgettext_lazy("audit action", "スタッフの役割変更"),
    "staff.removed": pgettext_lazy("audit action", "スタッフをセンターから外す"),
    "staff.deactivated": pgettext_lazy("audit action", "アカウントの無効化"),
    "centre.closed": pgettext_lazy("audit action", "閉所"),
    "centre.reopened": pgettext_lazy("audit action", "閉所の取消（再開）"),
    # Downloads (ops.exports): the note says which days, how many rows and the format.
    "export.needs": pgettext_lazy("audit action", "書き出し: ニーズ"),
    "export.open-needs": pgettext_lazy("audit action", "書き出し: 未完了のニーズ"),
    "export.welfare-cases": pgettext_lazy("audit action", "書き出し: 継続中の福祉ケース"),
    "export.volunteers": pgettext_lazy("audit action", "書き出し: ボランティア登録者"),
    "export.attendances": pgettext_lazy("audit action", "書き出し: 出欠と活動時間"),
    "export.dispatches": pgettext_lazy("audit action", "書き出し: 送り出しと活動報告"),
    "export.tool-kinds": pgettext_lazy("audit action", "書き出し: 資機材の保有数"),
    "export.tool-loans": pgettext_lazy("audit action", "書き出し: 資機材の貸出"),
    "export.tool-movements": pgettext_lazy("audit action", "書き出し: 資機材の受入・払出"),
    "export.consumables": pgettext_lazy("audit action", "書き出し: 消耗品の受入・配布"),
    "personal.view": pgettext_lazy("audit action", "個人情報の閲覧"),
    "partner.organisation": pgettext_lazy("audit action", "協力団体の登録・変更"),
    "partner.offered": pgettext_lazy("audit action", "協力団体への依頼"),
    "partner.answered": pgettext_lazy("audit action", "協力団体の回答"),
    "partner.scheduled": pgettext_lazy("audit action", "協力団体の対応予定"),
    "partner.done": pgettext_lazy("audit action", "協力団体の対応報告"),
    "partner.withdrawn": pgettext_lazy("audit action", "協力団体への依頼の取下げ"),
    "partner.meeting": pgettext_lazy("audit action", "情報共有会議の記録"),
    "personal.card": pgettext_lazy("audit action", "個人情報の閲覧（印刷用の依頼カード）"),
}
# What an entry is about, by model label: one record, so singular ("ニーズ" alone is the app's "Needs").
OBJECTS = {
    "needs.need": pgettext_lazy("audit object", "ニーズ"),
    "needs.survey": pgettext_lazy("audit object", "現地調査"),
    "needs.referral": pgettext_lazy("audit object", "福祉への紹介"),
    "needs.needphoto": pgettext_lazy("audit object", "写真"),
    "partners.organisation": pgettext_lazy("audit object", "協力団体"),
    "partners.partnerjob": pgettext_lazy("audit object", "技術系依頼"),
    "partners.jobphoto": pgettext_lazy("audit object", "対応の写真"),
    "partners.meeting": pgettext_lazy("audit object", "情報共有会議"),
    "needs.needstatuschange": pgettext_lazy("audit object", "状況の変更"),
    "volunteers.volunteer": pgettext_lazy("audit object", "ボランティア"),
    "volunteers.group": pgettext_lazy("audit object", "団体"),
    "volunteers.attendance": pgettext_lazy("audit object", "出欠"),
    "dispatch.team": pgettext_lazy("audit object", "班"),
    "dispatch.dispatch": pgettext_lazy("audit object", "送り出し"),
    "dispatch.returnreport": pgettext_lazy("audit object", "活動報告"),
    "dispatch.equipmentloan": pgettext_lazy("audit object", "資機材の貸出"),
    "dispatch.equipmentkind": pgettext_lazy("audit object", "資機材"),
    "dispatch.equipmentmovement": pgettext_lazy("audit object", "資機材の受入・払出"),
    "dispatch.consumable": pgettext_lazy("audit object", "消耗品"),
    "dispatch.consumablemovement": pgettext_lazy("audit object", "消耗品の受入・配布"),
    "centres.centre": pgettext_lazy("audit object", "センター"),
    "centres.council": pgettext_lazy("audit object", "社会福祉協議会"),
    "centres.base": pgettext_lazy("audit object", "拠点"),
    "centres.capacityday": pgettext_lazy("audit object", "日別の受入上限"),
    "centres.membership": pgettext_lazy("audit object", "スタッフの役割"),
    "staff.invitation": pgettext_lazy("audit object", "招待"),
    "auth.user": pgettext_lazy("audit object", "アカウント"),
}
# Actors without a login (AuditEntry.actor, NeedStatusChange.actor).
ACTORS = {
    "system": pgettext_lazy("audit actor", "システム"),
    "anonymous": pgettext_lazy("audit actor", "ログインなし"),
    "resident": pgettext_lazy("audit actor", "依頼者（確認リンク）"),
    "web": pgettext_lazy("audit actor", "Webフォーム"),
    "import": pgettext_lazy("audit actor", "一括取込"),
    "retention": pgettext_lazy("audit actor", "保存期間の終了"),
    "demo": pgettext_lazy("audit actor", "デモデータ"),
    "drill": pgettext_lazy("audit actor", "訓練シナリオ"),  # ops.drills.player: what the scenario played
}
# Fields the models leave without a verbose name (Django would show the code name).
FIELDS = {
    "created_at": pgettext_lazy("audit field", "作成日時"),
    "created_by": pgettext_lazy("audit field", "作成者"),
    "recorded_at": pgettext_lazy("audit field", "記録日時"),
    "token": pgettext_lazy("audit field", "個人リンク"),
    "reference_token": pgettext_lazy("audit field", "依頼者用の確認リンク"),
    "slip_token": pgettext_lazy("audit field", "送り出し票のリンク"),
    "checkin_secret": pgettext_lazy("audit field", "受付QRコードの鍵"),
    "event_seq": pgettext_lazy("audit field", "イベント番号"),
    "personal_data_erased_at": pgettext_lazy("audit field", "個人情報の消去日時"),
    "surveyor": pgettext_lazy("audit field", "調査者"),
    "closed_at": pgettext_lazy("audit field", "終了日時"),
    "image": pgettext_lazy("audit field", "画像"),
    "taken_at": pgettext_lazy("audit field", "撮影日時"),
    "uploaded_by": pgettext_lazy("audit field", "登録者"),
    "from_status": pgettext_lazy("audit field", "変更前の状況"),
    "to_status": pgettext_lazy("audit field", "変更後の状況"),
    "at": pgettext_lazy("audit field", "日時"),
    "by": pgettext_lazy("audit field", "担当者"),
    "actor": pgettext_lazy("audit field", "担当（ログインなし）"),
    "date": pgettext_lazy("audit field", "日付"),
    "status": pgettext_lazy("audit field", "状況"),
    "dispatched_by": pgettext_lazy("audit field", "送り出した人"),
    "filed_at": pgettext_lazy("audit field", "提出日時"),
    "filed_by": pgettext_lazy("audit field", "提出者"),
    "filed_via": pgettext_lazy("audit field", "提出方法"),
    "lent_at": pgettext_lazy("audit field", "貸出日時"),
    "returned_at": pgettext_lazy("audit field", "返却日時"),
    "not_duplicate_of": pgettext_lazy("audit field", "別の世帯と確認したニーズ"),
}


def _model(object_type: str):
    """'needs.need' (the model's label, what `record` stores) -> the model, or None."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _model_label(model) -> str:
    return str(OBJECTS.get(model._meta.label_lower, model._meta.verbose_name))


def object_label(object_type: str) -> str:
    model = _model(object_type)
    return _model_label(model) if model else object_type


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def actor_label(actor: str) -> str:
    """'leader:T-03' -> 'リーダー（T-03）'; the known codes as words; anything else as stored."""
    if actor.startswith("leader:"):
        return pgettext("audit actor", "リーダー（%(team)s）") % {"team": actor.removeprefix("leader:")}
    if actor.startswith("volunteer:"):
        return pgettext("audit actor", "ボランティア本人（#%(id)s）") % {"id": actor.removeprefix("volunteer:")}
    return str(ACTORS.get(actor, actor))


def who(user, actor: str = "") -> str:
    """Who did something, in words, for every record that links a staff account (surveys, history lines,
    audit entries, photos, referrals, teams, dispatches, return reports): the account's name; an actor without
    a login by its label; and, when the link is empty because the account was deleted since (the links are
    SET_NULL), 「削除されたアカウント」 rather than a blank or a failed page."""
    if user is not None:
        return user.get_full_name() or user.get_username()
    if actor:
        return actor_label(actor)
    return pgettext("audit actor", "削除されたアカウント")


def _field(model, name: str):
    """The field stored as `name` (a name or an attname like base_id) on the model or, for entries that
    list a related record's fields (a dispatch's return report), on another model of its app."""
    candidates = [model, *(m for m in apps.get_app_config(model._meta.app_label).get_models() if m is not model)]
    for candidate in candidates:
        for field in (*candidate._meta.concrete_fields, *candidate._meta.many_to_many):
            if name in (field.name, field.attname):
                return field
    return None


def field_label(object_type: str, name: str) -> str:
    model = _model(object_type)
    field = _field(model, name) if model else None
    if field is None:
        return str(FIELDS.get(name, name))
    if str(field.verbose_name) != field.name.replace("_", " "):
        return str(field.verbose_name)  # the model's own (translated) name for it
    if field.name in FIELDS:
        return str(FIELDS[field.name])
    if field.is_relation:
        return _model_label(field.related_model)  # need -> ニーズ, team -> 班
    return field.name
