"""Forms of the recruitment page; the rules themselves live in ops.centres.services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ops.centres.models import Centre
from ops.centres.services import MAX_CAPACITY


class RecruitmentForm(forms.Form):
    status = forms.ChoiceField(label=_("募集状況（明日以降）"), choices=Centre.Recruitment.choices,
                               widget=forms.RadioSelect)
    scope = forms.ChoiceField(label=_("募集範囲"), choices=Centre.Scope.choices, widget=forms.RadioSelect)
    capacity = forms.IntegerField(label=_("1日の受入上限（人）"), min_value=0, max_value=MAX_CAPACITY)


class NoticesForm(forms.Form):
    notice = forms.CharField(label=_("お知らせ（1行に1件）"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))
    what_to_bring = forms.CharField(label=_("持ち物"), required=False, max_length=1000,
                                    widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(forms.Form):
    # Closing (閉所) has its own page and steps (ops.centres.closing): it cancels bookings and ends access.
    status = forms.ChoiceField(label=_("開設状況"), widget=forms.RadioSelect,
                               choices=[c for c in Centre.Status.choices if c[0] != Centre.Status.CLOSED])
