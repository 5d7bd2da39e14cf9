"""The staff search form: the words and the filters, all optional, none of them ever an error
for what a person types in the words (a bad year or page is simply ignored)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {
    "registry_entry": _("Registratură"),
    "service_request": _("Cereri online"),
    "petition": _("Petiții"),
    "archive_page": _("Arhivă (documente scanate)"),
}
ACCESS_LABELS = {
    "public": _("public"),
    "internal": _("intern"),
    "confidential": _("confidențial"),
    "personal": _("date personale"),
}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Caută"),
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Fără diacritice merge la fel; „expresie exactă” între ghilimele; 1234/2026 caută numărul."),
    )
    kind = forms.ChoiceField(label=_("Tip"), required=False)
    year = forms.IntegerField(label=_("An"), required=False, min_value=1000, max_value=9999)
    department = forms.CharField(label=_("Compartiment (cod)"), required=False, max_length=60)
    file_code = forms.CharField(label=_("Indicativ dosar (nomenclator)"), required=False, max_length=60)
    access = forms.ChoiceField(label=_("Clasă de acces"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", _("toate")), *KIND_LABELS.items()]
        cast(forms.ChoiceField, self.fields["access"]).choices = [("", _("toate")), *ACCESS_LABELS.items()]
        for name in ("year", "department", "file_code"):
            self.fields[name].widget.attrs["inputmode"] = "numeric" if name == "year" else "text"

    def criteria(self) -> dict[str, Any]:
        """The valid criteria (an invalid filter is left out, never turned into an error page)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            "q": data.get("q") or "",
            "kinds": [data["kind"]] if data.get("kind") else None,
            "year": data.get("year"),
            "department": (data.get("department") or "").strip() or None,
            "file_code": (data.get("file_code") or "").strip() or None,
            "access": data.get("access") or None,
        }
