"""Forms of the staff work screens: shape only, the rules are the engine's (services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ghiseu.procedures.models import DECISION_KINDS, CaseTask, TaskOutcome

DECISION_CHOICES = [(TaskOutcome.APPROVED, _("favorabil")), (TaskOutcome.REJECTED, _("nefavorabil (motivați)"))]


class TaskCompleteForm(forms.Form):
    """Complete one task: a decision for opinion, approve and sign tasks; a comment always allowed."""

    outcome = forms.ChoiceField(label=_("Soluția"), choices=DECISION_CHOICES, required=False, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Observații"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, task: CaseTask, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"task-{task.pk}")
        super().__init__(*args, **kwargs)
        self.task = task
        if task.kind in DECISION_KINDS:
            self.fields["outcome"].required = True
            self.fields["outcome"].initial = TaskOutcome.APPROVED
        else:
            del self.fields["outcome"]

    @property
    def chosen_outcome(self) -> str:
        return str(self.cleaned_data.get("outcome") or TaskOutcome.OK)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.get_username()} ({obj.get_role_display()})"


class TaskAssignForm(forms.Form):
    assignee = StaffChoiceField(label=_("Noul responsabil"), queryset=get_user_model().objects.none(), empty_label=None)
    reason = forms.CharField(label=_("Motivul repartizării"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, task: CaseTask, candidates: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"assign-{task.pk}")
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class CompletionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Ce trebuie să completeze petentul"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Numiți documentele sau informațiile care lipsesc; petentul vede textul întocmai."),
    )
    respond_by = forms.DateField(
        label=_("Termen de răspuns (opțional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class IssueForm(forms.Form):
    comment = forms.CharField(label=_("Observații"), required=False, max_length=1000)
