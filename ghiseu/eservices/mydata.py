"""The eservices part of a citizen's "my data": their requests (with their registry numbers), the
files they attached and the acts issued to them (registered from `EservicesConfig.ready()`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from ghiseu.accounts.mydata import DataFile, DataPart, register_data_provider
from ghiseu.core.files import open_stored
from ghiseu.eservices.selectors import requests_for_applicant


def _entry(entry: Any) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "number": entry.display_number,
        "registered_at": entry.registered_at,
        "subject": entry.subject,
        "status": entry.status,
        "due_date": entry.due_date,
        "tracking_code": entry.tracking_code,
    }


def requests_data(user: Any) -> DataPart:
    records = []
    files: list[DataFile] = []
    for request in (
        requests_for_applicant(user).select_related("issued_entry", "issued_file").prefetch_related("attachments__file")
    ):
        attachments = []
        for attachment in request.attachments.all():
            name = f"cerere-{request.pk}/{attachment.pk}-{attachment.original_name}"
            files.append(DataFile(name=name, open=partial(open_stored, attachment.file)))
            attachments.append(
                {
                    "document": attachment.label,
                    "name": attachment.original_name,
                    "sha256": attachment.file.sha256,
                    "size": attachment.file.size,
                    "content_type": attachment.file.content_type,
                    "uploaded_at": attachment.uploaded_at,
                    "file": name,
                }
            )
        issued = None
        if request.issued_file is not None:
            name = f"cerere-{request.pk}/act-emis.pdf"
            files.append(DataFile(name=name, open=partial(open_stored, request.issued_file)))
            issued = {"entry": _entry(request.issued_entry), "sha256": request.issued_file.sha256, "file": name}
        records.append(
            {
                "id": request.pk,
                "service": {"code": request.service.code, "name": request.service.name},
                "state": request.state,
                "values": request.values,
                "registry_entry": _entry(request.entry),
                "due_date": request.due_date,
                "created_at": request.created_at,
                "submitted_at": request.submitted_at,
                "issued_at": request.issued_at,
                "attachments": attachments,
                "issued_document": issued,
            }
        )
    return DataPart(records=records, files=files)


def register_my_data_provider() -> None:
    register_data_provider("service_requests", requests_data)
