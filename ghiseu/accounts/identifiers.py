"""Romanian personal and company identifiers, validated with python-stdnum (never hand-written checksums).

A CNP is shown masked everywhere: its first digit (sex and century) and its last four, the rest as
asterisks — `1********1144` — thirteen characters, like the number itself.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError
from stdnum.ro import cnp as stdnum_cnp
from stdnum.ro import cui as stdnum_cui

from ghiseu.core.errors import DomainError


def clean_cnp(value: str) -> str:
    """The CNP as 13 digits, or a DomainError saying (in Romanian) what is wrong. The value itself is
    never repeated in the message: it must not reach a log."""
    try:
        return str(stdnum_cnp.validate(value))
    except InvalidLength:
        message = _("CNP-ul are 13 cifre.")
    except InvalidFormat:
        message = _("CNP-ul conține doar cifre.")
    except InvalidComponent:
        message = _("CNP-ul nu este valid: data nașterii sau codul județului nu există.")
    except InvalidChecksum:
        message = _("CNP-ul nu este valid: cifra de control nu se potrivește.")
    except ValidationError:
        message = _("CNP-ul nu este valid.")
    raise DomainError(message, field="cnp", code="invalid_cnp")


def clean_cui(value: str) -> str:
    """The CUI (cod unic de înregistrare) as digits, without the `RO` prefix, or a DomainError."""
    try:
        return str(stdnum_cui.validate(value))
    except InvalidLength:
        message = _("CUI-ul are între 2 și 10 cifre.")
    except InvalidFormat:
        message = _("CUI-ul conține doar cifre (eventual precedate de RO).")
    except InvalidChecksum:
        message = _("CUI-ul nu este valid: cifra de control nu se potrivește.")
    except ValidationError:
        message = _("CUI-ul nu este valid.")
    raise DomainError(message, field="cui", code="invalid_cui")


def mask_cnp(value: str | None) -> str:
    """`1********1144`: the first digit and the last four; empty for no CNP."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 5) + value[-4:]
