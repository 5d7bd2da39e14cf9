"""Forms of the accounts: allauth's login and sign-up with Romanian labels, the profile, companies."""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(allauth_forms.LoginForm):
    """E-mail (citizens) or username (staff), and the password.

    The login input keeps the id `id_username` it had under Django's login view, so that the
    browser tests and the habits of the staff's password managers keep working.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("E-mail sau nume de utilizator")
        login.widget.attrs.update({"id": "id_username", "autocomplete": "username", "autofocus": True})
        login.widget.attrs.pop("placeholder", None)
        self.fields["password"].label = _("Parolă")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Ține-mă minte pe acest dispozitiv")


class SignupForm(allauth_forms.SignupForm):
    """A citizen's account: name, e-mail (to be verified), password twice."""

    first_name = forms.CharField(
        label=_("Prenume"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nume"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )

    field_order = ["last_name", "first_name", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        labels = {"email": _("Adresa de e-mail"), "password1": _("Parolă"), "password2": _("Parola, încă o dată")}
        for name, label in labels.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].widget.attrs.pop("placeholder", None)
        if "password1" in self.fields:
            self.fields["password1"].help_text = _("Cel puțin 8 caractere, nu doar cifre, nu o parolă des folosită.")


class UnechoedTextInput(forms.PasswordInput):
    """A visible text input that never renders its value back (the CNP is not shown whole)."""

    input_type = "text"


class ProfileForm(forms.Form):
    last_name = forms.CharField(
        label=_("Nume"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label=_("Prenume"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    address = forms.CharField(
        label=_("Adresa de domiciliu"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    cnp = forms.CharField(
        label=_("CNP (opțional)"),
        max_length=20,
        required=False,
        widget=UnechoedTextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        help_text=_("Codul numeric personal, 13 cifre. Îl vedeți apoi doar mascat."),
    )


class CompanyForm(forms.Form):
    cui = forms.CharField(
        label=_("CUI"),
        max_length=14,
        help_text=_("Codul unic de înregistrare, cu sau fără RO."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=_("Denumirea"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "organization"})
    )
    trade_register_number = forms.CharField(
        label=_("Nr. de ordine în Registrul Comerțului (opțional)"), max_length=40, required=False
    )
    address = forms.CharField(label=_("Sediul (opțional)"), max_length=300, required=False)
    capacity = forms.CharField(
        label=_("Calitatea dumneavoastră"), max_length=100, help_text=_("De exemplu: administrator, împuternicit.")
    )
