"""The audit trail: who changed what, for needs, dispatches and personal data, and who opened a resident's
personal data (record_view).

Entries name the fields that changed, never their contents, so the trail itself holds no personal data.
Services call `record` inside their transaction; administrators read it at /c/<centre>/audit/, where the
stored codes (model labels, field names, actions, actors) are shown as words in the page's language.
"""
from datetime import timedelta

from django.apps import apps
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from ops.centres.models import AuditEntry


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
    "not_duplicate": pgettext_lazy("audit action", "重複ではないと判断"),
    "need.update": pgettext_lazy("audit action", "ニーズの変更"),
    "need.import": pgettext_lazy("audit action", "ニーズの一括取込"),
    "volunteer.register": pgettext_lazy("audit action", "ボランティア登録"),
    "volunteer.update": pgettext_lazy("audit action", "登録内容の変更"),
    "attendance.check_in": pgettext_lazy("audit action", "受付"),
    "attendance.check_out": pgettext_lazy("audit action", "活動終了"),
    "dispatch.created": pgettext_lazy("audit action", "送り出し"),
    "dispatch.returned": pgettext_lazy("audit action", "活動報告"),
    "dispatch.cancelled": pgettext_lazy("audit action", "送り出し取消"),
    "centre.recruitment": pgettext_lazy("audit action", "募集状況の変更"),
    "centre.notices": pgettext_lazy("audit action", "お知らせ・持ち物の変更"),
    "centre.status": pgettext_lazy("audit action", "開設状況の変更"),
    "personal.view": pgettext_lazy("audit action", "個人情報の閲覧"),
    "personal.card": pgettext_lazy("audit action", "個人情報の閲覧（印刷用の依頼カード）"),
}
# What an entry is about, by model label: one record, so singular ("ニーズ" alone is the app's "Needs").
OBJECTS = {
    "needs.need": pgettext_lazy("audit object", "ニーズ"),
    "needs.survey": pgettext_lazy("audit object", "現地調査"),
    "needs.referral": pgettext_lazy("audit object", "福祉への紹介"),
    "needs.needphoto": pgettext_lazy("audit object", "写真"),
    "needs.needstatuschange": pgettext_lazy("audit object", "状況の変更"),
    "volunteers.volunteer": pgettext_lazy("audit object", "ボランティア"),
    "volunteers.group": pgettext_lazy("audit object", "団体"),
    "volunteers.attendance": pgettext_lazy("audit object", "出欠"),
    "dispatch.team": pgettext_lazy("audit object", "班"),
    "dispatch.dispatch": pgettext_lazy("audit object", "送り出し"),
    "dispatch.returnreport": pgettext_lazy("audit object", "活動報告"),
    "dispatch.equipmentloan": pgettext_lazy("audit object", "資機材の貸出"),
    "centres.centre": pgettext_lazy("audit object", "センター"),
    "centres.base": pgettext_lazy("audit object", "拠点"),
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
}
# Fields the models leave without a verbose name (Django would show the code name).
FIELDS = {
    "created_at": pgettext_lazy("audit field", "作成日時"),
    "created_by": pgettext_lazy("audit field", "作成者"),
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
}


def _model(object_type: str):
    """'needs.need' (what `record` stores) or 'need' (what some services store) -> the model, or None."""
    if "." in object_type:
        try:
            return apps.get_model(object_type)
        except (LookupError, ValueError):
            return None
    return next((m for m in apps.get_models() if m._meta.model_name == object_type), None)


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
    return str(ACTORS.get(actor, actor))


def who(user, actor: str = "") -> str:
    """Who did something, in words, for every record that links a staff account (surveys, history lines,
    audit entries, photos, referrals, teams, dispatches, return reports): the account's name; an actor without
    a login by its label; and, when the link is empty because the account was deleted since (the links are
    SET_NULL), 「（削除されたアカウント）」 rather than a blank or a failed page."""
    if user is not None:
        return user.get_full_name() or user.get_username()
    if actor:
        return actor_label(actor)
    return pgettext("audit actor", "（削除されたアカウント）")


def _field(model, name: str):
    """The field stored as `name` (a name or an attname like base_id) on the model or, for entries that
    list a related record's fields (a dispatch's return report), on another model of its app."""
    candidates = [model, *(m for m in apps.get_app_config(model._meta.app_label).get_models() if m is not model)]
    for candidate in candidates:
        for field in candidate._meta.concrete_fields:
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
