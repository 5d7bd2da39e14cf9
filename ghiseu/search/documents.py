"""What other apps hand the search index: one `SearchDocument` per object (or per page).

A document is validated and normalized once, when it is handed over, so the outbox task,
the rebuild and `search_check` all see the same text and compute the same content hash.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ghiseu.core.text import normalize_romanian

# Who may read a document. `public`: anyone, citizens included; the other classes are for
# staff of the departments listed in `departments` ("*" meaning every department).
PUBLIC = "public"
INTERNAL = "internal"
CONFIDENTIAL = "confidential"
PERSONAL = "personal"
ACCESS_CLASSES = (PUBLIC, INTERNAL, CONFIDENTIAL, PERSONAL)
ALL_DEPARTMENTS = "*"

KIND_RE = re.compile(r"[a-z][a-z0-9_]{0,39}")
OBJECT_ID_RE = re.compile(r"[A-Za-z0-9_.\-/]{1,64}")
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 1_000_000  # one OCR page is a few thousand characters; a whole act fits
MAX_FIELD_CHARS = 60
MAX_URL_CHARS = 500

# Identifiers searched exactly: registration numbers (1234/2026, 1234/2026/A), cadastral
# numbers (60123, 60123-C1-U5), CNP-like 13-digit numbers and any other number of 5+ digits.
# The same pattern runs over the indexed text and over the query, so a query for a number
# finds every document where the number was written the same way.
# (Written to start with a digit so the scan is fast; the look-behind checks the character before it.)
IDENTIFIER_RE = re.compile(r"[0-9](?<![\w/-][0-9])(?:[0-9]*[/-][0-9A-Za-z]+(?:[./-][0-9A-Za-z]+)*|[0-9]{4,})(?!\w)")
_ID_SEPARATORS = re.compile(r"[./-]")
MAX_IDENTIFIERS = 2_000


def extract_identifiers(text: str) -> list[str]:
    """Exact-match tokens found in `text`, lower-cased, each with its shorter prefixes.

    `1234/2026/A` also yields `1234/2026`; `60123-C1-U5` also yields `60123-c1` and `60123`.
    """
    found: dict[str, None] = {}
    for match in IDENTIFIER_RE.finditer(text):
        token = match.group(0).lower()
        found[token] = None
        for cut in _ID_SEPARATORS.finditer(token):
            prefix = token[: cut.start()]
            if is_identifier(prefix):
                found[prefix] = None
        if len(found) >= MAX_IDENTIFIERS:
            break
    return list(found)[:MAX_IDENTIFIERS]


def is_identifier(token: str) -> bool:
    return IDENTIFIER_RE.fullmatch(token) is not None


@dataclass(frozen=True)
class SearchDocument:
    """One searchable unit: an object, or one page of it (`page` set)."""

    kind: str
    object_id: str
    title: str
    text: str
    page: int | None = None
    year: int | None = None
    department: str = ""
    file_code: str = ""
    access: str = INTERNAL
    departments: tuple[str, ...] = (ALL_DEPARTMENTS,)
    url: str = ""
    identifiers: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def key(self) -> str:
        return document_key(self.kind, self.object_id, self.page)

    @property
    def parent_key(self) -> str:
        return document_key(self.kind, self.object_id)

    @property
    def content_hash(self) -> str:
        """SHA-256 over every indexed value: a change to any of them makes the index stale."""
        payload = self.to_payload()
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def to_payload(self) -> dict[str, Any]:
        """The JSON form carried by the outbox task."""
        return {
            "kind": self.kind,
            "object_id": self.object_id,
            "title": self.title,
            "text": self.text,
            "page": self.page,
            "year": self.year,
            "department": self.department,
            "file_code": self.file_code,
            "access": self.access,
            "departments": list(self.departments),
            "url": self.url,
        }

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> SearchDocument:
        return make_document(**data)


def document_key(kind: str, object_id: str, page: int | None = None) -> str:
    return f"{kind}:{object_id}" if page is None else f"{kind}:{object_id}:{page}"


def _normalize(text: str) -> str:
    # normalize_romanian, skipped when there is nothing to change (str.translate is slow on long text)
    return normalize_romanian(text) if any(ch in text for ch in "şŞţŢ") else text


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit]


def _check_kind(kind: str) -> str:
    if not isinstance(kind, str) or not KIND_RE.fullmatch(kind):
        raise ValueError(f"search: kind must match {KIND_RE.pattern}, got {kind!r}")
    return kind


def _check_object_id(object_id: object) -> str:
    value = str(object_id)
    if not OBJECT_ID_RE.fullmatch(value):
        raise ValueError(f"search: object_id must match {OBJECT_ID_RE.pattern}, got {value!r}")
    return value


def make_document(
    *,
    kind: str,
    object_id: object,
    title: str,
    text: str,
    page: int | None = None,
    year: int | None = None,
    department: str = "",
    file_code: str = "",
    access: str = INTERNAL,
    departments: Sequence[str] | str = (ALL_DEPARTMENTS,),
    url: str = "",
) -> SearchDocument:
    """Validate and normalize (cedilla ş ţ → comma-below ș ț) what an app hands over.

    Raises ValueError on a programming mistake (an unknown access class, a bad kind);
    user text is never rejected, only normalized and clipped.
    """
    kind = _check_kind(kind)
    oid = _check_object_id(object_id)
    if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 0):
        raise ValueError(f"search: page must be a non-negative integer or None, got {page!r}")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999):
        raise ValueError(f"search: year must be a four-digit integer or None, got {year!r}")
    if access not in ACCESS_CLASSES:
        raise ValueError(f"search: access must be one of {ACCESS_CLASSES}, got {access!r}")
    if isinstance(departments, str):
        departments = (departments,)
    depts = tuple(dict.fromkeys(str(d).strip() for d in departments if str(d).strip()))
    for name, value in (("department", department), ("file_code", file_code), *(("departments", d) for d in depts)):
        if not isinstance(value, str) or len(value.strip()) > MAX_FIELD_CHARS:
            raise ValueError(f"search: {name} must be a code of at most {MAX_FIELD_CHARS} characters, got {value!r}")
    title = _clip(_normalize(" ".join((title or "").split())), MAX_TITLE_CHARS)
    text = _clip(_normalize((text or "").replace("\x00", " ")), MAX_TEXT_CHARS)
    return SearchDocument(
        kind=kind,
        object_id=oid,
        title=title,
        text=text,
        page=page,
        year=year,
        department=department.strip(),
        file_code=file_code.strip(),
        access=access,
        departments=tuple(sorted(depts)),
        url=_clip(url or "", MAX_URL_CHARS),
        identifiers=tuple(extract_identifiers(title + "\n" + text)),
    )


def as_documents(items: Iterable[SearchDocument | dict[str, Any]]) -> Iterable[SearchDocument]:
    """Providers may yield `SearchDocument`s or keyword dicts for `make_document`."""
    for item in items:
        if isinstance(item, SearchDocument):
            yield item
        else:
            yield make_document(**item)
