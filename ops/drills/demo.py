"""The demo's drill centre (「訓練センター」, /c/drill/): the demo staff in their roles and `morning_rush` READY,
so `make run` shows a drill to start. Made once; a later run leaves it as the staff left it."""
from django.contrib.auth import get_user_model

from ops.centres.models import Centre

SLUG = "drill"


def seed_drill(home: Centre) -> Centre | None:
    """The drill centre beside the demo centre `home`, opened by the demo's administrator (None without one)."""
    existing = Centre.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        return None
    from ops.drills.opening import open_drill

    return open_drill(scenario="morning_rush", by=admin, name="訓練センター", staff_from=home, slug=SLUG)
