"""How practice is marked (訓練 / DRILL): the one home of the words and of the question "is this a drill's?" for
every surface that leaves the centre's pages (the banner of every page and board, the slip, mail, the 日報, exports).
The fact itself is `Disaster.drill` (read through `Centre.is_drill`); this module only says it."""
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

WORD = gettext_lazy("訓練")
BANNER = gettext_lazy("訓練：これは練習用のセンターです。実際の災害・実在の依頼者ではありません。")
MAIL_FIRST_LINE = gettext_lazy("【訓練】このメールは訓練（練習）のためのものです。実際の依頼・活動ではありません。")


def is_drill(centre) -> bool:
    """Whether `centre` (a Centre, its id, or None) is a drill's. A Centre read with its disaster costs nothing."""
    if centre is None:
        return False
    if isinstance(centre, int):
        from ops.centres.models import Centre

        return Centre.objects.drills().filter(pk=centre).exists()
    return centre.is_drill


def subject_prefix() -> str:
    return _("【訓練】")


def _about_drill(about) -> bool:
    """A mail with no centre (a disaster's roll-up) is a drill's when what it is about belongs to a drill."""
    disaster = getattr(about, "disaster", None)
    if disaster is not None and hasattr(disaster, "drill"):
        return disaster.drill
    centre = getattr(about, "centre", None)
    return centre is not None and hasattr(centre, "disaster_id") and is_drill(centre)


def mail(subject: str, body: str, centre, *, about=None) -> tuple[str, str]:
    """A mail from a drill centre: the subject starts with 【訓練】 and the body with a line saying so (once: a mail
    sent again keeps its marks). Real centres' mails are returned as they are."""
    if not (is_drill(centre) if centre is not None else _about_drill(about)):
        return subject, body
    prefix, first = subject_prefix(), str(MAIL_FIRST_LINE)
    if not subject.startswith(prefix):
        subject = f"{prefix}{subject}"
    if not body.startswith(first):
        body = f"{first}\n\n{body}"
    return subject, body


def file_name(name: str, centre) -> str:
    """A file downloaded from a drill centre says so in its name: drill-<name>."""
    return f"drill-{name}" if is_drill(centre) else name


def drill_row() -> list[str]:
    """The first row of a spreadsheet from a drill centre, before its headers."""
    return [str(WORD), str(BANNER)]
