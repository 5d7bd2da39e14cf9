"""Text helpers for Romanian: cedilla and comma-below forms, diacritics-insensitive matching."""

from __future__ import annotations

import unicodedata

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
