"""Django's checks may run at any hour: CI runs `check --deploy --fail-level WARNING` (test_settings)."""
from datetime import date, datetime, time

import pytest
from django.apps import apps
from django.db.models import fields as django_fields

OUR_APPS = [config for config in apps.get_app_configs() if not config.name.startswith("django.")]
CLOCKED = [field for config in OUR_APPS for model in config.get_models() for field in model._meta.get_fields()
           if isinstance(field, (django_fields.DateField, django_fields.TimeField)) and field.has_default()]


@pytest.mark.parametrize("field", CLOCKED, ids=lambda f: f"{f.model._meta.label}.{f.name}")
def test_no_date_or_time_default_trips_the_fixed_default_check_at_its_own_hour(field, monkeypatch):
    """The check warns (fields.W161) when now is within ten seconds of a fixed default. Stand the clock at the
    default's own value: a fixed default warns, a callable one never does."""
    value = field.default() if callable(field.default) else field.default
    if isinstance(value, datetime):
        at = value
    elif isinstance(value, date):
        at = datetime.combine(value, time())
    else:
        at = datetime.combine(date(2026, 7, 1), value)
    monkeypatch.setattr(django_fields, "_get_naive_now", lambda: at)
    assert [message.id for message in field.check()] == []


def test_the_centre_hours_are_among_the_checked_fields():
    assert {"activity_start", "activity_end", "latest_return_time", "report_time"} <= {
        field.name for field in CLOCKED if field.model._meta.label == "centres.Centre"}
