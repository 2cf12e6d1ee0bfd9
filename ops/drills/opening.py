"""Opening a drill (訓練を開設する): a practice disaster made for it (Disaster.drill, named 「訓練: …」), its centre
opened as any centre is (ops.centres.opening.open_centre) and set 開設中, the Drill row and the scenario's
starting point. With `staff_from` the staff of a real centre the opener administers join in their real roles,
so each person practises the pages of their own job."""
from __future__ import annotations

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ops import audit
from ops.centres.models import Centre, Disaster, Membership, Role
from ops.centres.models.centre import DEFAULT_TIMEZONE
from ops.centres.opening import open_centre
from ops.drills import scenario as scenarios
from ops.drills.models import Drill

SPEEDS = (1, 2, 3, 6, 9, 12)
MAX_SPEED = 600  # the tests' tiny scenarios; the form offers SPEEDS



def open_drill(*, scenario: str, by, name: str | None = None, speed: int = 6, staff_from: Centre | None = None,
               slug: str | None = None) -> Centre:
    """Open a drill centre playing `scenario` (READY, not started) and return it."""
    try:
        loaded = scenarios.load(scenario)
    except scenarios.ScenarioError as err:
        raise ValidationError({"scenario": _("このシナリオは読み込めません。")}) from err
    if isinstance(speed, bool) or not isinstance(speed, int) or not 1 <= speed <= MAX_SPEED:
        raise ValidationError({"speed": _("時間の速さを選んでください。")})
    if staff_from is not None and (staff_from.is_drill or not Membership.objects.filter(
            user=by, centre=staff_from, role=Role.ADMIN).exists()):
        raise ValidationError({"staff_from": _("管理者を務めているセンターを選んでください。")})
    home = staff_from
    name = (name or "").strip() or _("訓練センター")
    with transaction.atomic():
        disaster = Disaster.objects.create(name=_("訓練: %(title)s") % {"title": loaded.title}, drill=True,
                                           prefecture=home.prefecture if home else "",
                                           started_on=Centre.today_in(home.timezone if home else DEFAULT_TIMEZONE))
        centre = open_centre(disaster=disaster, by=by, centre={
            "name": name[:120], "slug": slug or f"drill-{secrets.token_hex(4)}",
            "prefecture": home.prefecture if home else "", "municipality": home.municipality if home else _("訓練市"),
            "address": home.address if home else "", "lat": home.lat if home else 35.6812,
            "lng": home.lng if home else 139.7671, "council": home.council if home else None,
        })
        Centre.objects.filter(pk=centre.pk).update(status=Centre.Status.OPEN, opened_on=centre.today())
        centre.refresh_from_db()
        with audit.operation("drill.opened", by=by, centre=centre):
            drill = Drill.objects.create(centre=centre, scenario=loaded.name, speed=speed, opened_by=by)
            audit.changed(drill, created=True, fields=["scenario", "speed"])
            if home is not None:
                for user_id, role in (Membership.objects.filter(centre=home).exclude(user=by)
                                      .exclude(role=Role.PARTNER).values_list("user_id", "role").order_by("pk")):
                    membership, created = Membership.objects.get_or_create(user_id=user_id, centre=centre, role=role)
                    if created:
                        audit.changed(membership, created=True, fields=["user", "role"], centre=centre)
        scenarios.set_up(centre, loaded)
    return centre


def scenario_choices() -> list[tuple[str, str]]:
    language = get_language() or "ja"
    return [(s.name, s.localized_title(language)) for s in scenarios.available()]


class DrillOpeningForm(forms.Form):
    scenario = forms.ChoiceField(label=gettext_lazy("シナリオ"))
    name = forms.CharField(label=gettext_lazy("訓練センターの名前"), max_length=120, required=False,
                           help_text=gettext_lazy("空欄なら「訓練センター」。"))
    speed = forms.TypedChoiceField(label=gettext_lazy("時間の速さ"), coerce=int, initial=6, choices=[
        (s, gettext_lazy("%(n)s倍（9時間の一日が%(minutes)s分）") % {"n": s, "minutes": 540 // s}) for s in SPEEDS])
    staff_from = forms.ModelChoiceField(label=gettext_lazy("参加するスタッフ"), queryset=Centre.objects.none(),
                                        required=False, empty_label=gettext_lazy("（自分だけ）"),
                                        help_text=gettext_lazy("選んだセンターのスタッフが、同じ役割で訓練センターに加わります。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = scenario_choices()
        self.fields["staff_from"].queryset = Centre.objects.real().filter(
            memberships__user=user, memberships__role=Role.ADMIN).distinct().order_by("name")
