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


class PublicInfoForm(forms.Form):
    """公開情報: what the public board, the public JSON and the council's widget show of today and tomorrow.
    No length limits here: ops.centres.services.set_public_info refuses a long text with its own words."""
    work_today = forms.CharField(label=_("本日の活動内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("例: 泥出し・家財搬出"))
    tomorrow_meeting_time = forms.TimeField(label=_("明日の集合時刻"), required=False,
                                            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    tomorrow_meeting_place = forms.CharField(label=_("明日の集合場所"), required=False)
    tomorrow_plan = forms.CharField(label=_("明日の予定"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status_message = forms.CharField(label=_("状況メッセージ"), required=False,
                                     help_text=_("公開ボードの最上部に表示する一行（例: 本日の受付は終了しました）"))
