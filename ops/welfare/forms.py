"""The welfare pages' forms: they parse what staff typed; the rules are the services' (ops.welfare.services)."""
from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ops.welfare import selectors
from ops.welfare.models import Agency, Case, Category, Consent, Contact, Referral
from ops.welfare.services.cases import MAX_TEXT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _text(label, *, required=False, rows=3, max_length=MAX_TEXT, help_text=""):
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class CategoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, category):
        return category.label


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        return gettext("%(text)s（%(detail)s）") % {"text": agency.name, "detail": agency.get_kind_display()}


class CaseForm(forms.Form):
    """ケースの内容: what the welfare staff decide about the case."""

    categories = CategoryChoice(label=_("課題"), queryset=Category.objects.none(), required=False,
                                widget=forms.CheckboxSelectMultiple)
    assignee = StaffChoice(label=_("担当者"), queryset=None, required=False, empty_label=_("（未定）"),
                           error_messages={"invalid_choice": _("担当者はこのセンターの福祉担当から選んでください。")})
    priority = forms.TypedChoiceField(label=_("優先度"), choices=Case.Priority.choices, coerce=int)
    level = forms.ChoiceField(label=_("区分"), choices=Case.Level.choices, widget=forms.RadioSelect)
    summary = _text(_("ケースの概要"), rows=4)

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {
            "categories": list(case.categories.all()), "assignee": case.assignee_id, "priority": case.priority,
            "level": case.level, "summary": case.summary})
        super().__init__(*args, **kwargs)
        # The centre's categories in use, and any the case already has (kept unless unticked).
        self.fields["categories"].queryset = Category.objects.filter(centre_id=case.centre_id).filter(
            Q(active=True) | Q(pk__in=case.categories.values("pk")))
        self.fields["assignee"].queryset = selectors.assignable_staff(case.centre)


class ContactForm(forms.Form):
    """支援記録を追加: one visit, call or meeting."""

    day = forms.DateField(label=_("日付"), widget=DATE)
    clock = forms.TimeField(label=_("時刻"), widget=TIME)
    method = forms.ChoiceField(label=_("方法"), choices=Contact.Method.choices)
    with_whom = forms.MultipleChoiceField(label=_("相手"), choices=Contact.With.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    found = _text(_("把握したこと"), rows=4)
    agreed = _text(_("合意・今後の対応"), rows=3)
    next_check_on = forms.DateField(label=_("次回確認日"), required=False, widget=DATE,
                                    help_text=_("空欄にすると、確認の予定なしになります。"))

    def __init__(self, *args, centre, **kwargs):
        now = centre.now()
        kwargs.setdefault("initial", {"day": now.date(), "clock": now.time().replace(second=0, microsecond=0),
                                      "method": Contact.Method.VISIT})
        super().__init__(*args, **kwargs)
        self.centre = centre

    def moment(self):
        return self.centre.at(self.cleaned_data["day"], self.cleaned_data["clock"])


class ConsentForm(forms.Form):
    """情報提供の同意: what the person agreed to, how, who, when."""

    purpose = forms.ChoiceField(label=_("目的"), choices=Consent.Purpose.choices, widget=forms.RadioSelect)
    agency = AgencyChoice(label=_("提供先"), queryset=Agency.objects.none(), required=False,
                          empty_label=_("（選んでください）"),
                          help_text=_("紹介先への情報提供のときに選びます。"))
    how = forms.ChoiceField(label=_("同意の方法"), choices=Consent.How.choices)
    given_by = forms.ChoiceField(label=_("同意した人"), choices=Consent.GivenBy.choices)
    given_on = forms.DateField(label=_("同意日"), widget=DATE)

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {"purpose": Consent.Purpose.SHARE, "how": Consent.How.WRITTEN,
                                      "given_on": case.centre.today()})
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(centre_id=case.centre_id, active=True,
                                                               internal=False)


class ReferralForm(forms.Form):
    """紹介: to one body of the directory. The urgent reason is asked only on a crisis case."""

    agency = AgencyChoice(label=_("紹介先"), queryset=Agency.objects.none(), empty_label=_("（選んでください）"))
    reason = _text(_("紹介の内容"), rows=3)
    urgent_reason = _text(_("同意なしで紹介する理由"), rows=2,
                          help_text=_("生命・身体への差し迫った危険があり、同意を得られないときだけ記入します。"))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(centre_id=case.centre_id, active=True)
        if case.level != Case.Level.CRISIS:
            del self.fields["urgent_reason"]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("結果"), choices=Referral.Outcome.choices)
    note = _text(_("結果の内容"), rows=2)

    def __init__(self, *args, referral: Referral, **kwargs):
        kwargs.setdefault("initial", {"outcome": referral.outcome, "note": referral.outcome_note})
        kwargs.setdefault("prefix", f"r{referral.pk}")
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    note = _text(_("終了の理由"), required=True, rows=3)


class AgencyForm(forms.ModelForm):
    """One body of the directory (its words are the office's, not a person's)."""

    class Meta:
        model = Agency
        fields = ["kind", "name", "area", "phone", "contact_person", "internal", "takes_handover", "active"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}


class CategoryForm(forms.Form):
    code = forms.CharField(label=_("コード"), max_length=30,
                           help_text=_("英数字・かな・「-」「_」。センターの中で重ならないもの。"))
    name = forms.CharField(label=_("名称"), max_length=60)
