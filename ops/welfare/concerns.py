"""気になったこと: what a team may tick on its return report about the household (the case's `concerns`)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Concern(models.TextChoices):
    ALONE = "alone", _("一人暮らし・身寄りがない様子")
    UNWELL = "unwell", _("体調が悪そう・通院や薬の心配")
    HOARDING = "hoarding", _("物があふれている・片付けられない")
    NO_FOOD = "no_food", _("食事や水が足りていない")
    WORRYING = "worrying", _("気になる発言があった")
    HOUSING = "housing", _("住み続けられるか心配")
    OTHER = "other", _("その他")
