"""Forms of the catalogue and of the step-by-step request: shape only, the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ghiseu.eservices.fields import ServiceValuesForm

__all__ = ["AttachmentForm", "CatalogueSearchForm", "CompletionAnswerForm", "ServiceValuesForm", "SubmitForm"]


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Caută un serviciu"), max_length=100, required=False)
    group = forms.ChoiceField(
        label=_("Grupează după"),
        required=False,
        choices=[("life_event", _("situația de viață")), ("department", _("compartiment"))],
    )


class AttachmentForm(forms.Form):
    """One document at a time: a new file, or a file given in an earlier request ("once only")."""

    slot = forms.CharField(widget=forms.HiddenInput, max_length=30)
    file = forms.FileField(label=_("Fișier"), required=False)
    reuse = forms.TypedChoiceField(
        label=_("sau un fișier trimis anterior"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, reusable: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        field = self.fields["reuse"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [(a.pk, f"{a.original_name} ({a.label})") for a in reusable]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not data.get("reuse"):
            raise forms.ValidationError(_("Alegeți un fișier."))
        return data


class SubmitForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Declar că datele sunt corecte și că documentele atașate sunt conforme cu originalul."),
        error_messages={"required": _("Bifați declarația pentru a trimite cererea.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.docx,.odt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CompletionAnswerForm(forms.Form):
    """The citizen's answer to a completion request: documents and/or a text (at least one)."""

    documents = MultipleFileField(
        label=_("Documentele cerute"),
        required=False,
        help_text=_("Puteți alege mai multe fișiere: PDF, JPEG, PNG, TIFF, DOCX sau ODT."),
    )
    text = forms.CharField(
        label=_("Răspunsul dumneavoastră"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("documents") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Atașați documentele cerute sau scrieți un răspuns."))
        return data
