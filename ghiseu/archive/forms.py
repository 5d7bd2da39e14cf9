"""Forms of the archive's staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department
from ghiseu.archive.models import Dossier
from ghiseu.registry.forms import DATE_INPUT_FORMATS, DateInput, StyledForm


class UploadForm(StyledForm):
    batch = forms.FileField(
        label=_("Lotul (arhivă ZIP cu manifest.csv sau manifest.xlsx)"),
        help_text=_("Scanări PDF, TIFF, JPEG sau PNG și manifestul; formatul este descris în documentație."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )


def _year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(year, year) for year in range(this_year, this_year - 80, -1)]


class HandoverForm(StyledForm):
    department = forms.ModelChoiceField(
        label=_("Compartiment"), queryset=Department.objects.order_by("name"), empty_label=None
    )
    year = forms.TypedChoiceField(label=_("Anul dosarelor"), coerce=int, choices=_year_choices)


class ProposalForm(StyledForm):
    dossiers = forms.ModelMultipleChoiceField(
        label=_("Dosare"), queryset=Dossier.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if queryset is not None:
            self.fields["dossiers"].queryset = queryset  # type: ignore[attr-defined]


class ConfirmDisposalForm(StyledForm):
    decision_number = forms.CharField(label=_("Numărul deciziei comisiei de selecționare"), max_length=60)
    decision_date = forms.DateField(
        label=_("Data deciziei"),
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": _("Introduceți o dată validă, de forma zz.ll.aaaa.")},
    )
    confirm = forms.BooleanField(
        label=_("Confirm că fișierele dosarelor de mai sus vor fi șterse definitiv."), required=True
    )


class DossierFilterForm(StyledForm):
    department = forms.ModelChoiceField(
        label=_("Compartiment"), queryset=Department.objects.order_by("name"), required=False
    )
    year = forms.IntegerField(label=_("An"), required=False, min_value=1800, max_value=2200)
