"""The form a service's fields make: built from its ServiceField rows, used by the view (to show and
validate) and by the submitting service (to validate the stored values again)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ghiseu.core.text import normalize_romanian
from ghiseu.eservices.models import FieldKind, Service, ServiceField

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
# A cadastral number (număr cadastral / carte funciară): digits, optionally with building and unit parts.
CADASTRAL_RE = r"^\d{1,8}(-[A-Za-z0-9]{1,6}){0,3}$"


def _field_for(spec: ServiceField) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
    validators = []
    if spec.regex:
        validators.append(RegexValidator(spec.regex, _("Valoarea nu are forma cerută.")))
    field: forms.Field
    if spec.kind == FieldKind.NUMBER:
        field = forms.DecimalField(
            min_value=spec.min_value, max_value=spec.max_value, max_digits=14, decimal_places=2, **common
        )
    elif spec.kind == FieldKind.DATE:
        field = forms.DateField(
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": _("Introduceți o dată validă, de forma zz.ll.aaaa.")},
            **common,
        )
    elif spec.kind == FieldKind.CHOICE:
        field = forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in spec.choice_list()]], **common)
    elif spec.kind == FieldKind.ADDRESS:
        field = forms.CharField(
            max_length=300, widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}), **common
        )
    elif spec.kind == FieldKind.CADASTRAL:
        validators.append(RegexValidator(CADASTRAL_RE, _("Numărul cadastral are forma 60123 sau 60123-C1-U5.")))
        field = forms.CharField(max_length=40, **common)
    else:
        field = forms.CharField(max_length=500, **common)
    field.validators.extend(validators)
    return field


def value_fields(service: Service) -> list[ServiceField]:
    """The fields filled in on the first step (file fields are attached on the second)."""
    return [f for f in service.fields.all() if f.kind != FieldKind.FILE]


class ServiceValuesForm(forms.Form):
    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.specs = value_fields(service)
        for spec in self.specs:
            self.fields[f"f_{spec.name}"] = _field_for(spec)

    def stored_values(self) -> dict[str, str]:
        """The cleaned values in their JSON form: text, ISO dates, decimal strings."""
        values: dict[str, str] = {}
        for spec in self.specs:
            value = self.cleaned_data.get(f"f_{spec.name}")
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                values[spec.name] = value.isoformat()
            elif isinstance(value, Decimal):
                values[spec.name] = format(value.normalize(), "f")
            else:
                values[spec.name] = normalize_romanian(re.sub(r"\s+", " ", str(value)).strip())
        return values


def form_data(values: dict[str, Any]) -> dict[str, Any]:
    """Stored values as the bound data of a ServiceValuesForm."""
    return {f"f_{name}": value for name, value in values.items()}
