"""The staff menu: which pages each capability opens. The home page routes a role to its first section."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ops.permissions import Cap

# (capability, URL name taking `centre`, label). Order is the order of the menu and of home routing.
SECTIONS = [
    (Cap.DISPATCH, "mapping:board", _("マッチング（地図）")),
    (Cap.EDIT_NEEDS, "needs:list", _("ニーズ受付")),
    (Cap.RECEPTION, "volunteers:reception", _("ボランティア受付")),
    (Cap.WELFARE, "welfare:cases", _("福祉ケース")),
    (Cap.VIEW_BOARD, "boards:staff", _("状況ボード")),
    (Cap.VIEW_NEEDS, "needs:list", _("ニーズ一覧")),
    (Cap.VIEW_NEEDS, "partners:staff_desk", _("技術系窓口")),  # 三者連携: the staff's side (issue 23, desk)
    (Cap.DISPATCH, "dispatch:teams", _("班編成")),
    (Cap.DISPATCH, "centre_suspension", _("活動中止")),
    (Cap.VIEW_REPORTS, "reports:today", _("日報")),
    (Cap.VIEW_REPORTS, "dispatch:tools", _("資機材・消耗品")),  # read-only without Cap.DISPATCH
    (Cap.MANAGE_CENTRE, "boards:recruitment", _("募集状況")),
    (Cap.MANAGE_CENTRE, "centre_settings", _("センター設定")),
    (Cap.VIEW_NEEDS, "exports:index", _("書き出し")),
    (Cap.RECEPTION, "exports:index", _("書き出し")),
    (Cap.VIEW_REPORTS, "exports:index", _("書き出し")),
    (Cap.RECEPTION, "outbox:list", _("送信メール")),
    (Cap.WELFARE, "outbox:list", _("送信メール")),
    (Cap.VIEW_REPORTS, "outbox:list", _("送信メール")),
    (Cap.VIEW_AUDIT, "centre_audit", _("監査記録")),
    (Cap.MANAGE_CENTRE, "staff:list", _("スタッフ")),
    (Cap.MANAGE_CENTRE, "api_tokens", _("APIトークン")),
    (Cap.MANAGE_CENTRE, "centre_close", _("閉所")),
    # 協力団体 (partner pages): an organisation's login has this one section, so it lands on its job list
    (Cap.PARTNER_WORK, "partners:partner_jobs", _("依頼一覧")),
    # 訓練 (ops.drills): only at a drill centre
    (Cap.MANAGE_CENTRE, "drills:control", _("訓練の進行")),
    (Cap.EDIT_NEEDS, "drills:calls", _("訓練の電話")),
]


def sections_for(caps, centre):
    """Menu entries (label, url) the capabilities open, without duplicates or routes not yet built."""
    seen, entries = set(), []
    for cap, name, label in SECTIONS:
        if cap not in caps or name in seen or (name.startswith("drills:") and not centre.is_drill):
            continue
        try:
            url = reverse(name, kwargs={"centre": centre.slug})
        except NoReverseMatch:
            continue
        seen.add(name)
        entries.append({"label": label, "url": url})
    return entries
