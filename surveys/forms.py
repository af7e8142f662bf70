from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Applied, Frequency, Impact, Survey


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["is_active", "delay_days", "open_question"]

    def clean_delay_days(self):
        days = self.cleaned_data["delay_days"]
        if not 1 <= days <= 3650:
            raise forms.ValidationError(_("Choose between 1 and 3650 days."))
        return days


class AnswerForm(forms.Form):
    applied = forms.ChoiceField(
        label=_("Have you applied what you learnt at work?"), choices=Applied.choices, widget=forms.RadioSelect
    )
    frequency = forms.ChoiceField(
        label=_("How often do you use it?"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    impact = forms.TypedChoiceField(
        label=_("What impact has it had on your team?"), choices=Impact.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label="", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, open_question: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = open_question or _(
            "What has changed in your work since you earned this credential?"
        )
