"""Forms of the registry screens: they parse and validate the shape of the input only.

The rules of the domain (required sender, accepted file types, who may do what) are the
services' job; a view maps a DomainError back onto the field it names (`apply_domain_error`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import STAFF_ROLES, Department, NomenclatorEntry, User
from ghiseu.core.errors import DomainError
from ghiseu.registry import permissions, selectors
from ghiseu.registry.models import Channel, Direction, DocumentType, Entry, Register, Status

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


class DateInput(forms.DateInput):
    """A native date picker; the value travels as ISO 8601 (typed dd.mm.yyyy is accepted too)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": _("Introduceți o dată validă, de forma zz.ll.aaaa.")},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); always cleans to a list."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        items = data if isinstance(data, list | tuple) else [data]
        single = super().clean
        return [single(item, initial) for item in items]


class StyledForm(forms.Form):
    """A form whose errors can come from a service (Django 5.2 links each error and help text to
    its input with aria-describedby and marks it aria-invalid; the templates give the ids)."""

    def apply_domain_error(self, error: DomainError, *, aliases: dict[str, str] | None = None) -> bool:
        """Show a service's error on the field it names; False when it names none of this form's fields."""
        field = (aliases or {}).get(error.field or "", error.field)
        if field and field in self.fields:
            self.add_error(field, str(error.message))
            return True
        return False

    def apply_domain_error_or_top(self, error: DomainError, *, aliases: dict[str, str] | None = None) -> None:
        """Show a service's error on its field, or above the form."""
        if not self.apply_domain_error(error, aliases=aliases):
            self.add_error(None, str(error.message))


def resolve_number(user: Any, text: str) -> Entry:
    """The original entry (not a reply) that `1234/2026` or `1234/28.11.2026` names, among those the user sees.

    Without a year the current year is meant; the general register is preferred.
    """
    query = selectors.parse_number(text)
    year = query.year or (query.day.year if query.day else timezone.localdate().year)
    qs = permissions.visible_entries(user).filter(number=query.number, year=year, answers__isnull=True)
    entry = qs.order_by("-register__is_general", "pk").first()
    if entry is None or (query.day is not None and entry.registered_on != query.day):
        raise DomainError(
            gettext("Nu există nicio înregistrare cu numărul %(number)s.") % {"number": text.strip()[:40]},
            field="number",
        )
    return entry


# --- Finding entries ---------------------------------------------------------------------

STATUS_FILTER_CHOICES = [("", _("oricare")), *Status.choices, ("overdue", _("depășit termenul"))]
DIRECTION_FILTER_CHOICES = [("", _("oricare")), *Direction.choices]


class EntryFilterForm(StyledForm):
    number = forms.CharField(
        label=_("Număr"), required=False, max_length=40, help_text=_("De exemplu 1234/2026 sau 1234/28.11.2026.")
    )
    date_from = _date_field(_("De la data"))
    date_to = _date_field(_("Până la data"))
    sender = forms.CharField(label=_("Emitent"), required=False, max_length=200)
    words = forms.CharField(
        label=_("Cuvinte din conținut"), required=False, max_length=200, help_text=_("Diacriticele nu contează.")
    )
    department = forms.ModelChoiceField(
        label=_("Compartiment"), queryset=Department.objects.all(), required=False, empty_label=_("oricare")
    )
    status = forms.ChoiceField(label=_("Stare"), choices=STATUS_FILTER_CHOICES, required=False)
    direction = forms.ChoiceField(label=_("Sens"), choices=DIRECTION_FILTER_CHOICES, required=False)

    def clean_number(self) -> str:
        text = str(self.cleaned_data.get("number") or "").strip()
        if text:
            try:
                selectors.parse_number(text)
            except DomainError as exc:
                raise forms.ValidationError(str(exc.message)) from None
        return text

    def filters(self) -> selectors.EntryFilters:
        data = self.cleaned_data
        department = data.get("department")
        return selectors.EntryFilters(
            number=data.get("number") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            sender=data.get("sender") or "",
            words=data.get("words") or "",
            department_id=department.pk if department else None,
            status=data.get("status") or "",
            direction=data.get("direction") or "",
        )


# --- Registering -------------------------------------------------------------------------


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} — {obj.department}" if obj.department_id else str(obj)


class NomenclatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} — {obj.name}"


def _staff() -> Any:
    return (
        User.objects.filter(is_active=True, role__in=[str(r) for r in STAFF_ROLES], department__isnull=False)
        .select_related("department")
        .order_by("department__name", "last_name", "first_name")
    )


class EntryCreateForm(StyledForm):
    sender = forms.CharField(
        label=_("Emitent"),
        max_length=300,
        help_text=_("Persoana sau instituția care a trimis documentul."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        error_messages={"required": _("Completați câmpul „Emitent”.")},
    )
    sender_address = forms.CharField(label=_("Adresa emitentului"), max_length=300, required=False)
    sender_email = forms.EmailField(
        label=_("E-mailul emitentului"),
        required=False,
        error_messages={"invalid": _("Introduceți o adresă de e-mail validă.")},
    )
    subject = forms.CharField(
        label=_("Conținut pe scurt"),
        max_length=500,
        error_messages={"required": _("Completați câmpul „Conținut pe scurt”.")},
    )
    document_type = forms.ModelChoiceField(
        label=_("Tip document"), queryset=DocumentType.objects.filter(is_active=True), empty_label=None
    )
    direction = forms.ChoiceField(label=_("Sens"), choices=Direction.choices, initial=Direction.INCOMING)
    channel = forms.ChoiceField(label=_("Canal de primire"), choices=Channel.choices, initial=Channel.COUNTER)
    pages = forms.IntegerField(label=_("Număr de file"), min_value=1, max_value=100000, initial=1)
    annexes = forms.IntegerField(label=_("Număr de anexe"), min_value=0, max_value=100000, initial=0)
    sender_reference = forms.CharField(label=_("Numărul emitentului"), max_length=60, required=False)
    sender_date = _date_field(_("Data documentului emitentului"))
    department = forms.ModelChoiceField(
        label=_("Compartiment"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        empty_label=_("— nerepartizat —"),
    )
    assignee = StaffChoiceField(
        label=_("Responsabil"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— oricine din compartiment —"),
    )
    resolution = forms.CharField(label=_("Rezoluție"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file_code = NomenclatorChoiceField(
        label=_("Indicativ dosar"),
        queryset=NomenclatorEntry.objects.filter(is_active=True),
        required=False,
        empty_label=_("— fără —"),
    )
    linked_number = forms.CharField(
        label=_("Conexat la numărul"), max_length=40, required=False, help_text=_("De exemplu 1234/2026.")
    )
    attachments = MultipleFileField(
        label=_("Atașamente"), help_text=_("Documentul scanat și anexele (PDF, imagini, documente text).")
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assignee"].queryset = _staff()
        document_type = DocumentType.objects.filter(code="correspondence", is_active=True).first()
        if document_type is not None:
            fields["document_type"].initial = document_type.pk

    def clean_linked_number(self) -> Entry | None:
        text = str(self.cleaned_data.get("linked_number") or "").strip()
        if not text:
            return None
        try:
            return resolve_number(self.user, text)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None


# --- Actions on an entry -----------------------------------------------------------------


class AssignForm(StyledForm):
    prefix = "assign"

    department = forms.ModelChoiceField(label=_("Compartiment"), queryset=Department.objects.filter(is_active=True))
    assignee = StaffChoiceField(
        label=_("Responsabil"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— oricine din compartiment —"),
    )
    resolution = forms.CharField(label=_("Rezoluție"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assignee"].queryset = _staff()


class ReplyForm(StyledForm):
    prefix = "reply"

    recipient = forms.CharField(label=_("Destinatar"), max_length=300)
    subject = forms.CharField(label=_("Conținutul răspunsului"), max_length=500)
    channel = forms.ChoiceField(label=_("Trimis prin"), choices=Channel.choices, initial=Channel.POST)
    pages = forms.IntegerField(label=_("Număr de file"), min_value=1, max_value=100000, initial=1)
    attachments = MultipleFileField(label=_("Fișier (opțional)"))
    close = forms.BooleanField(label=_("Soluționează înregistrarea cu acest răspuns"), required=False, initial=True)


class CloseForm(StyledForm):
    prefix = "close"

    outcome = forms.CharField(label=_("Mod de soluționare"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    recipient = forms.CharField(label=_("Destinatar"), max_length=300, required=False)
    sent_at = _date_field(_("Data expedierii"))


class LinkForm(StyledForm):
    prefix = "link"

    number = forms.CharField(
        label=_("Conexează la numărul"), max_length=40, help_text=_("Prima înregistrare din aceeași problemă.")
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_number(self) -> Entry:
        text = str(self.cleaned_data.get("number") or "").strip()
        try:
            return resolve_number(self.user, text)
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message)) from None


class AttachForm(StyledForm):
    prefix = "attach"

    attachments = MultipleFileField(label=_("Fișiere"), required=True)


# --- The registry book and the public status page ----------------------------------------

BOOK_FORMATS = [("pdf", _("PDF (A4 vedere)")), ("csv", _("CSV (Excel)"))]


class BookForm(StyledForm):
    date_from = _date_field(_("De la data"), required=True)
    date_to = _date_field(_("Până la data"), required=True)
    register = forms.ModelChoiceField(label=_("Registru"), queryset=Register.objects.all(), empty_label=None)
    format = forms.ChoiceField(label=_("Format"), choices=BOOK_FORMATS, initial="pdf")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["required"] = gettext("Alegeți data.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("Data de sfârșit este înaintea datei de început."))
        return data


class PublicStatusForm(StyledForm):
    number = forms.CharField(
        label=_("Număr de înregistrare"),
        max_length=40,
        help_text=_("Așa cum apare pe fișa primită, de exemplu 1234/2026."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        error_messages={"required": _("Completați numărul de înregistrare.")},
    )
    tracking_code = forms.CharField(
        label=_("Cod de urmărire"),
        max_length=20,
        help_text=_("Codul de 10 caractere de pe fișă (nu CNP-ul)."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Completați codul de urmărire.")},
    )
