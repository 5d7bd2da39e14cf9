"""Text helpers for Romanian: cedilla and comma-below forms, diacritics-insensitive matching."""

from __future__ import annotations

import unicodedata

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ghiseu.core.errors import DomainError

# Tesseract and old systems write cedilla ş ţ (U+015F/U+0163) where Romanian has
# comma-below ș ț (U+0219/U+021B): both are the same letter.
_CEDILLA_TO_COMMA = str.maketrans({"ş": "ș", "Ş": "Ș", "ţ": "ț", "Ţ": "Ț"})


def normalize_romanian(text: str) -> str:
    """Cedilla forms turned into the correct comma-below forms."""
    return text.translate(_CEDILLA_TO_COMMA)


def fold(text: str) -> str:
    """Lower-case, diacritics removed, white space folded: the form used for matching."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())


def clean_text(
    value: str | None, *, field: str, label: str | Promise, max_length: int = 4000, required: bool = False
) -> str:
    """A text field as services store it: trimmed, cedilla forms corrected, NUL refused (PostgreSQL
    cannot store it), length bounded; a DomainError names the field otherwise."""
    text = normalize_romanian((value or "").strip())
    if "\x00" in text:
        raise DomainError(_("Câmpul „%(label)s” conține caractere nepermise.") % {"label": label}, field=field)
    if required and not text:
        raise DomainError(_("Completați câmpul „%(label)s”.") % {"label": label}, field=field, code="required")
    if len(text) > max_length:
        raise DomainError(
            _("Câmpul „%(label)s” are cel mult %(max)d caractere.") % {"label": label, "max": max_length}, field=field
        )
    return text
