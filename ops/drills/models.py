"""A drill (訓練): a practice centre that plays a scenario file on a compressed clock while staff work the real
pages in their real roles. The centre is a drill's because its disaster is (`Disaster.drill`); this app holds the
run of the scenario (`Drill`) and what it has played so far (`Cue`), which the after-action review reads."""
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre


class Drill(models.Model):
    """The run of one scenario at one drill centre. `speed` scenario seconds pass per real second (a 9-hour day
    in 90 minutes is 6); pausing stops the scenario clock, which `paused_seconds` keeps out of it."""

    class Status(models.TextChoices):
        READY = "ready", _("開始前")
        RUNNING = "running", _("実施中")
        PAUSED = "paused", _("一時停止中")
        FINISHED = "finished", _("終了")

    centre = models.OneToOneField(Centre, on_delete=models.CASCADE, related_name="drill", verbose_name=_("センター"))
    scenario = models.CharField(_("シナリオ"), max_length=60)  # the file's name under ops/drills/scenarios/
    speed = models.PositiveSmallIntegerField(_("時間の速さ（倍）"), default=6)
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.READY)
    started_at = models.DateTimeField(_("開始"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.FloatField(default=0)
    finished_at = models.DateTimeField(_("終了"), null=True, blank=True)
    next_cue = models.PositiveIntegerField(default=0)  # the index of the timeline's next entry to play
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("訓練")
        verbose_name_plural = _("訓練")

    def __str__(self):
        return f"{self.centre} ({self.scenario})"

    # --- the scenario clock: the one home of "what time is it in the drill" ----------------------------------
    def scenario_seconds(self, now: datetime | None = None) -> float:
        """Scenario seconds since the scenario day's start at the real moment `now`: real time since the start,
        less the time spent paused, times `speed`. Stands still while paused, before the start and after the end."""
        if self.started_at is None:
            return 0.0
        now = now or timezone.now()
        if self.status == self.Status.FINISHED and self.finished_at is not None:
            now = min(now, self.finished_at)
        if self.paused_at is not None:
            now = min(now, self.paused_at)
        real = (now - self.started_at).total_seconds() - self.paused_seconds
        return max(real, 0.0) * self.speed

    def real_at(self, scenario_seconds: float, now: datetime | None = None) -> datetime:
        """The real moment the scenario clock will show `scenario_seconds` if it runs on from `now` unpaused."""
        now = now or timezone.now()
        return now + timedelta(seconds=(scenario_seconds - self.scenario_seconds(now)) / self.speed)

    def load_scenario(self):
        from ops.drills import scenario

        return scenario.load(self.scenario)


class Cue(models.Model):
    """One entry of the scenario's timeline as it was played: when (on the scenario's clock and the real one),
    what it was, and what it made (the need a call became, the volunteer who arrived, the team that returned)."""

    class Kind(models.TextChoices):
        ARRIVAL = "arrival", _("ボランティア到着")
        CALL = "call", _("電話")
        WALK_IN = "walk_in", _("来所相談")
        WEB_REQUEST = "web_request", _("ウェブ依頼")
        TEAM_RETURN = "team_return", _("チーム帰着")
        INJECT = "inject", _("状況付与")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="cues")
    index = models.PositiveIntegerField()  # its position in the scenario's timeline
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at_seconds = models.PositiveIntegerField()  # scenario seconds since the scenario's start
    played_at = models.DateTimeField()  # the real moment it was played
    detail = models.JSONField(default=dict, blank=True)  # the timeline entry as written in the file
    need = models.ForeignKey("needs.Need", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    team = models.ForeignKey("dispatch.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["drill", "index"], name="drills_cue_once")]

    def __str__(self):
        return f"{self.drill_id}#{self.index} {self.kind}"
