"""Small input fields shared by several endpoints."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ops.days import in_range


class DayField(serializers.DateField):
    """A calendar day (YYYY-MM-DD) within the years the system can mean."""

    default_error_messages = {"range": _("日付は2000-01-01から2099-12-31の間で指定してください。")}

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not in_range(day):
            self.fail("range")
        return day


class DayQuerySerializer(serializers.Serializer):
    date = DayField(required=False, help_text="The day (YYYY-MM-DD) in the centre's time zone; default today.")


class MomentField(serializers.DateTimeField):
    """A date and time (ISO 8601) within the same years: year 517 is a typo, and old dates in Asia/Tokyo
    even come back with a local-mean-time offset (+09:18:59) that no client parses."""

    default_error_messages = {"range": _("日時は2000年から2099年の間で指定してください。")}

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not in_range(moment.date()):
            self.fail("range")
        return moment
