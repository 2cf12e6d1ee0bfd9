"""県域スタッフ: who works at the prefecture level of a disaster. A member (or an installation administrator)
adds an existing active account by its login name, or removes one; the disaster always keeps one member."""
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Disaster
from ops.prefecture.models import PrefectureMembership
from ops.prefecture.services import PrefectureRefused


def add_member(disaster: Disaster, *, username: str, by=None) -> PrefectureMembership:
    username = (username or "").strip()
    if not username:
        raise PrefectureRefused(_("ログイン名を入力してください。"), field="username")
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise PrefectureRefused(_("そのログイン名の有効なアカウントはありません。"), field="username")
    if PrefectureMembership.objects.filter(user=user, disaster=disaster).exists():
        raise PrefectureRefused(_("この人はすでに県域スタッフです。"), field="username")
    try:
        with transaction.atomic():
            member = PrefectureMembership.objects.create(user=user, disaster=disaster)
            audit.happened("prefecture.add_member", member, centre=None, by=by)
    except IntegrityError:
        raise PrefectureRefused(_("この人はすでに県域スタッフです。"), field="username") from None
    return member


def remove_member(disaster: Disaster, *, member_id: int, by=None) -> None:
    """Remove one member; never the disaster's last one (so someone can always add others)."""
    with transaction.atomic():
        # Every member of the disaster, locked: two removals at once cannot leave nobody.
        members = list(PrefectureMembership.objects.select_for_update().filter(disaster=disaster).order_by("pk"))
        member = next((m for m in members if m.pk == member_id), None)
        if member is None:
            raise PrefectureRefused(_("この災害の県域スタッフではありません。"), field="member")
        if len(members) <= 1:
            raise PrefectureRefused(_("最後の県域スタッフは外せません。先に別の人を加えてください。"), field="member")
        audit.happened("prefecture.remove_member", member, centre=None, by=by,
                       note=f"user:{member.user_id}")
        member.delete()
