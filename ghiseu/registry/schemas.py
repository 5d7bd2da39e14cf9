"""Shapes of the registry API: what other systems send and what they get back.

References travel by their human codes: document type by code (`petition`), department by
code (`URB`), person by username, nomenclator position by its file code (`III/B/4`), entries
by registration number (`1234/2026`). Times are ISO 8601 in Europe/Bucharest.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from ghiseu.registry.models import Attachment, Channel, Direction, Entry

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 1_000_000_000


def _printable(value: str) -> str:
    """No NUL or other control characters (PostgreSQL refuses NUL; none belongs in a register)."""
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value):
        raise PydanticCustomError("text_control_characters", "text contains control characters")
    return value


Text = Annotated[str, AfterValidator(_printable)]


class EntryCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    direction: Direction = Field(description="incoming, outgoing or internal")
    channel: Channel = Field(Channel.API, description="counter, portal, email, post, courier, fax, api")
    document_type: Text = Field(description="Codul tipului de document, de ex. `petition`.")
    sender: Text
    subject: Text
    sender_address: Text = ""
    sender_email: Text = ""
    sender_reference: Text = ""
    sender_date: dt.date | None = None
    pages: int = Field(1, ge=1, le=100_000)
    annexes: int = Field(0, ge=0, le=100_000)
    department: Text | None = Field(None, description="Codul compartimentului, de ex. `URB`.")
    assignee: Text | None = Field(None, description="Numele de utilizator al responsabilului.")
    file_code: Text | None = Field(None, description="Indicativul de dosar din nomenclator, de ex. `III/B/4`.")
    resolution: Text = ""
    recipient: Text = ""
    linked_number: Text | None = Field(None, description="Numărul primei înregistrări din aceeași problemă.")
    answers_number: Text | None = Field(
        None, description="Numărul înregistrării la care acesta este răspunsul (1234/2026)."
    )


class AssignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    department: Text = Field(description="Codul compartimentului.")
    assignee: Text | None = Field(None, description="Numele de utilizator al responsabilului.")
    resolution: Text = ""


class CloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Text = Field(description="Modul de soluționare.")
    recipient: Text = ""
    sent_at: dt.date | None = None


class EntryFilterIn(Schema):
    number: Text | None = Field(None, description="1234, 1234/2026 sau 1234/28.11.2026")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sender: Text | None = None
    q: Text | None = Field(None, description="Cuvinte din conținut (fără diacritice, orice majuscule).")
    department: Text | None = Field(None, description="Codul compartimentului.")
    status: Text | None = Field(None, description="registered, assigned, in_progress, closed sau overdue")
    direction: Direction | None = None
    year: int | None = Field(None, ge=1, le=9999)
    limit: int = Field(DEFAULT_LIMIT, ge=1, description=f"Cel mult {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_content_type(obj: Attachment) -> str:
        return obj.file.content_type

    @staticmethod
    def resolve_size(obj: Attachment) -> int:
        return obj.file.size

    @staticmethod
    def resolve_sha256(obj: Attachment) -> str:
        return obj.file.sha256

    @staticmethod
    def resolve_uploaded_at(obj: Attachment) -> dt.datetime:
        return timezone.localtime(obj.uploaded_at)


class EntryOut(Schema):
    id: int
    number: int
    year: int
    display_number: str = Field(description="1234/28.11.2026")
    registered_at: dt.datetime
    due_date: dt.date | None
    is_overdue: bool
    tracking_code: str
    status: str
    status_label: str
    direction: str
    channel: str
    document_type: str
    department: str | None
    assignee: str | None
    sender: str
    sender_address: str
    sender_email: str
    sender_reference: str
    sender_date: dt.date | None
    subject: str
    pages: int
    annexes: int
    file_code: str | None
    resolution: str
    outcome: str
    recipient: str
    sent_at: dt.date | None
    closed_at: dt.datetime | None
    answers_id: int | None
    linked_to_id: int | None
    linked_number: str | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_registered_at(obj: Entry) -> dt.datetime:
        return timezone.localtime(obj.registered_at)

    @staticmethod
    def resolve_closed_at(obj: Entry) -> dt.datetime | None:
        return timezone.localtime(obj.closed_at) if obj.closed_at else None

    @staticmethod
    def resolve_is_overdue(obj: Entry) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_status_label(obj: Entry) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_document_type(obj: Entry) -> str:
        return obj.document_type.code

    @staticmethod
    def resolve_department(obj: Entry) -> str | None:
        return obj.department.code if obj.department else None

    @staticmethod
    def resolve_assignee(obj: Entry) -> str | None:
        return obj.assignee.get_username() if obj.assignee else None

    @staticmethod
    def resolve_file_code(obj: Entry) -> str | None:
        return obj.file_code.code if obj.file_code else None

    @staticmethod
    def resolve_linked_number(obj: Entry) -> str | None:
        return obj.linked_to.display_number if obj.linked_to else None

    @staticmethod
    def resolve_attachments(obj: Entry) -> list[Attachment]:
        return list(obj.attachments.all())


class EntryListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[EntryOut]


class ErrorOut(Schema):
    detail: str
    code: str
    field: str | None = None


class ValidationErrorItem(Schema):
    field: str
    message: str
    type: str
    loc: list[str]


class ValidationErrorOut(ErrorOut):
    errors: list[ValidationErrorItem]
