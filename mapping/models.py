"""The government's address reference data (国土交通省 位置参照情報), imported per deployment: national
reference data, not a centre's. One AddressImport per municipality and level says who loaded it and when;
its points are replaced whole when the same municipality is imported again (mapping.addresses.importer)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    BLOCK = "block", _("街区レベル")
    TOWN = "town", _("大字・町丁目レベル")


class AddressImport(models.Model):
    """位置参照情報の取り込み: one municipality's points at one level, from one file."""

    prefecture = models.CharField(_("都道府県"), max_length=10)
    city = models.CharField(_("市区町村"), max_length=40)
    level = models.CharField(_("レベル"), max_length=5, choices=Level.choices)
    file_name = models.CharField(_("ファイル名"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("件数"), default=0)
    imported_at = models.DateTimeField(_("取り込み日時"), auto_now_add=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("取り込んだ人"))
    actor = models.CharField(max_length=40, blank=True)  # without a login: "system" (the command), "demo" (ops.audit)

    class Meta:
        verbose_name = _("住所データの取り込み")
        verbose_name_plural = _("住所データの取り込み")
        ordering = ["prefecture", "city", "level"]
        constraints = [models.UniqueConstraint(fields=["prefecture", "city", "level"], name="one_import_per_city")]

    def __str__(self):
        return f"{self.prefecture}{self.city} ({self.get_level_display()})"


class AddressPoint(models.Model):
    """One row of the reference data: a block (街区符号・地番) or a town (大字・町丁目) and its position.
    The *_key columns are mapping.addresses.normalise's keys; the others are the file's own text, shown."""

    source = models.ForeignKey(AddressImport, on_delete=models.CASCADE, related_name="points")
    level = models.CharField(max_length=5, choices=Level.choices)
    city_key = models.CharField(max_length=60)  # prefecture and municipality: 府中市 is in two prefectures
    town = models.CharField(max_length=80)
    koaza = models.CharField(max_length=80, blank=True)
    block = models.CharField(max_length=20, blank=True)
    town_key = models.CharField(max_length=80)
    block_key = models.CharField(max_length=20, blank=True)
    representative = models.BooleanField(default=True)
    lat = models.FloatField()
    lng = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["town_key", "block_key"], name="address_town_block"),
                   models.Index(fields=["city_key", "town_key"], name="address_city_town")]

    def __str__(self):
        return f"{self.town}{self.koaza}{self.block}"
