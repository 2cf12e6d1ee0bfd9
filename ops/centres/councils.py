"""What a council's staff change about its public address (/council/<slug>/): its name, contacts, website, the
平常時 message and links. Validated, saved with a new `changed_at` (the council's public JSON is keyed by it,
ops.centres.council_feed) and audited in one transaction; a refused change writes nothing.

The council belongs to no one centre: its audit row is written at each of its centres, so every centre's
administrators find the change in their trail (and one row without a centre while it has none)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Council
from ops.centres.services import CentreSettingError, is_web_url, public_phone

MAX_LINKS = 20
MAX_LABEL = 60
MAX_URL = 200
MAX_MESSAGE = 2000
EDITABLE = ("name", "phone", "address", "website", "normal_message", "links")


def _url(value: str) -> bool:
    return is_web_url(value, MAX_URL)


def clean_links(text: str) -> str:
    """The links as stored: one per line, "label | https://..." or a bare http(s) URL, at most MAX_LINKS.
    Raises CentreSettingError on `links` naming the first line that is not one."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        label, sep, url = line.rpartition("|")
        label, url = " ".join(label.split()), url.strip()
        if not _url(url) or (sep and not label) or len(label) > MAX_LABEL:
            raise CentreSettingError(
                _("%(n)d行目: 「表示名 | https://…」または http(s):// で始まるURLを1行に1つ入力してください"
                  "（表示名は60文字、URLは200文字まで）。") % {"n": number}, "links")
        lines.append(f"{label} | {url}" if label else url)
    if len(lines) > MAX_LINKS:
        raise CentreSettingError(_("リンクは20件までです。"), "links")
    return "\n".join(lines)


def set_council_info(council: Council, *, name: str, phone: str, address: str, website: str, normal_message: str,
                     links: str, by=None) -> Council:
    """The council's name, phone, address and website, and what its page says while no centre is open (the
    message and the links)."""
    name, phone, address = (" ".join((v or "").split()) for v in (name, phone, address))
    website, normal_message = (website or "").strip(), (normal_message or "").strip()
    if not name or len(name) > 120:
        raise CentreSettingError(_("社会福祉協議会名を120文字以内で入力してください。"), "name")
    phone = public_phone(phone)
    if len(address) > 200:
        raise CentreSettingError(_("所在地は200文字までです。"), "address")
    if website and not _url(website):
        raise CentreSettingError(_("ウェブサイトは http:// または https:// で始まるURLを入力してください（200文字まで）。"),
                                 "website")
    if len(normal_message) > MAX_MESSAGE:
        raise CentreSettingError(_("平常時のお知らせは2000文字までです。"), "normal_message")
    values = {"name": name, "phone": phone, "address": address, "website": website,
              "normal_message": normal_message, "links": clean_links(links)}
    with transaction.atomic():
        locked = Council.objects.select_for_update().get(pk=council.pk)
        changed = sorted(k for k, v in values.items() if getattr(locked, k) != v)
        if not changed:
            return locked
        for field in changed:
            setattr(locked, field, values[field])
        locked.changed_at = timezone.now()
        locked.save(update_fields=[*changed, "changed_at"])
        for centre_id in list(locked.centres.order_by("pk").values_list("pk", flat=True)) or [None]:
            with audit.operation("council.info", by=by, centre=centre_id):
                audit.changed(locked, fields=changed, centre=centre_id)
    for field in (*changed, "changed_at"):
        setattr(council, field, getattr(locked, field))
    return locked
