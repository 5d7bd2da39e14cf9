"""Forms of the petitions screens: they parse the shape of the input; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ghiseu.accounts.models import Department
from ghiseu.petitions.models import Kind, Outcome, PetitionCategory, PetitionerType
from ghiseu.registry.forms import MultipleFileField, MultipleFileInput, StyledForm, _date_field
from ghiseu.registry.models import Channel

CITIZEN_KINDS = [
    (Kind.COMPLAINT, _("Reclamație")),
    (Kind.REPORT, _("Sesizare (o problemă în oraș)")),
    (Kind.REQUEST, _("Cerere")),
    (Kind.PROPOSAL, _("Propunere")),
    (Kind.PUBLIC_INFORMATION, _("Solicitare de informații de interes public (Legea 544/2001)")),
    (
        Kind.ADMINISTRATIVE_COMPLAINT,
        _("Reclamație administrativă împotriva răspunsului la o solicitare de informații (Legea 544/2001)"),
    ),
]


def _categories() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Categoria problemei"),
        queryset=PetitionCategory.objects.filter(is_active=True),
        required=False,
        empty_label=_("— fără categorie —"),
        help_text=_("Pentru probleme din domeniul public: drumuri, iluminat, salubritate, spații verzi, ..."),
    )


class LocationMixin(forms.Form):
    latitude = forms.CharField(
        label=_("Latitudine"), required=False, max_length=20, help_text=_("De exemplu 45.3601 (opțional).")
    )
    longitude = forms.CharField(
        label=_("Longitudine"), required=False, max_length=20, help_text=_("De exemplu 23.2189 (opțional).")
    )
    location_address = forms.CharField(
        label=_("Locul problemei"),
        required=False,
        max_length=300,
        help_text=_("Strada și un reper; nu este nevoie de numărul casei."),
    )
    photos = MultipleFileField(
        label=_("Fotografii"),
        help_text=_("JPEG sau PNG. Poziția GPS din fotografie este folosită, apoi ștearsă din copia publică."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class CitizenPetitionForm(StyledForm, LocationMixin):
    """The portal's form: a signed-in citizen, or anyone with name, address and e-mail."""

    kind = forms.ChoiceField(label=_("Ce depuneți"), choices=CITIZEN_KINDS, initial=Kind.REPORT)
    category = _categories()
    description = forms.CharField(label=_("Conținut"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000)
    original_number = forms.CharField(
        label=_("Solicitarea contestată: numărul de înregistrare"),
        required=False,
        max_length=40,
        help_text=_("Doar pentru reclamația administrativă, de exemplu 1234/2026."),
    )
    original_tracking_code = forms.CharField(
        label=_("Solicitarea contestată: codul de urmărire"),
        required=False,
        max_length=20,
        help_text=_("Codul de pe fișa solicitării (nu CNP-ul)."),
    )
    petitioner_type = forms.ChoiceField(
        label=_("Depuneți ca"), choices=PetitionerType.choices, initial=PetitionerType.PERSON
    )
    petitioner_name = forms.CharField(label=_("Nume și prenume (sau denumire)"), max_length=200)
    petitioner_address = forms.CharField(label=_("Adresa de corespondență"), max_length=300)
    petitioner_email = forms.EmailField(label=_("E-mail"), max_length=254)
    petitioner_phone = forms.CharField(label=_("Telefon"), required=False, max_length=30)
    confirm_similar = forms.BooleanField(
        label=_("Am văzut sesizările asemănătoare și vreau totuși să depun una nouă."), required=False
    )
    # A honeypot: hidden from people (and from screen readers); a robot that fills every input fills it.
    website = forms.CharField(label=_("Nu completați acest câmp"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.ADMINISTRATIVE_COMPLAINT:
            for name in ("original_number", "original_tracking_code"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Indicați numărul și codul de urmărire ale solicitării contestate."))
        return data

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value.strip():
            raise forms.ValidationError(_("Formularul nu a putut fi trimis. Reîncărcați pagina și încercați din nou."))
        return value

    field_order = [
        "kind",
        "category",
        "description",
        "original_number",
        "original_tracking_code",
        "location_address",
        "latitude",
        "longitude",
        "photos",
        "petitioner_type",
        "petitioner_name",
        "petitioner_address",
        "petitioner_email",
        "petitioner_phone",
        "confirm_similar",
    ]


class StaffPetitionForm(StyledForm, LocationMixin):
    """Registering at the counter, or what came by post or e-mail."""

    kind = forms.ChoiceField(label=_("Tip"), choices=Kind.choices, initial=Kind.COMPLAINT)
    channel = forms.ChoiceField(label=_("Canal"), choices=Channel.choices, initial=Channel.COUNTER)
    category = _categories()
    department = forms.ModelChoiceField(
        label=_("Compartiment"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        help_text=_("Gol: după categorie, sau repartizat ulterior."),
    )
    description = forms.CharField(label=_("Conținut"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    subject = forms.CharField(label=_("Conținut pe scurt"), required=False, max_length=500)
    anonymous = forms.BooleanField(label=_("Petiție anonimă"), required=False)
    petitioner_type = forms.ChoiceField(label=_("Petiționar"), choices=PetitionerType.choices)
    petitioner_name = forms.CharField(label=_("Nume"), required=False, max_length=200)
    petitioner_address = forms.CharField(label=_("Adresă"), required=False, max_length=300)
    petitioner_email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    petitioner_phone = forms.CharField(label=_("Telefon"), required=False, max_length=30)
    received_by_forwarding = forms.BooleanField(label=_("Primită prin redirecționare"), required=False)
    forwarded_from = forms.CharField(label=_("Redirecționată de"), required=False, max_length=300)
    sender_reference = forms.CharField(label=_("Numărul emitentului"), required=False, max_length=60)
    sender_date = _date_field(_("Data documentului emitentului"))
    original_number = forms.CharField(
        label=_("Solicitarea contestată (nr.)"),
        required=False,
        max_length=40,
        help_text=_("Doar pentru reclamația administrativă: 1234/2026."),
    )
    attachments = MultipleFileField(label=_("Atașamente"))


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("Zile"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("Motiv"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Motiv"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ForwardForm(StyledForm):
    authority = forms.CharField(label=_("Autoritatea competentă"), max_length=300)
    authority_address = forms.CharField(label=_("Adresa ei"), required=False, max_length=300)
    note = forms.CharField(label=_("Mențiuni"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PickPetitionForm(StyledForm):
    """Join to, or file away as a repeat of, one of the offered petitions."""

    other = forms.TypedChoiceField(label=_("Petiția"), coerce=int, choices=[])
    note = forms.CharField(label=_("Mențiune"), required=False, max_length=2000)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = choices  # type: ignore[attr-defined]


class AnswerForm(StyledForm):
    text = forms.CharField(label=_("Răspunsul"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)
    legal_basis = forms.CharField(
        label=_("Temeiul legal al soluției"), max_length=500, help_text=_("De exemplu: OG 27/2002, art. 8; HCL nr. ...")
    )
    outcome = forms.ChoiceField(label=_("Soluția"), choices=Outcome.choices)
    signatory = forms.CharField(label=_("Semnatar"), required=False, max_length=200)


class ReportForm(StyledForm):
    REPORTS = [("petitions", _("Raportul semestrial privind petițiile")), ("information", _("Raportul Legii 544/2001"))]
    FORMATS = [("pdf", "PDF"), ("csv", "CSV")]

    report = forms.ChoiceField(label=_("Raport"), choices=REPORTS)
    date_from = _date_field(_("De la"), required=True)
    date_to = _date_field(_("Până la"), required=True)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
