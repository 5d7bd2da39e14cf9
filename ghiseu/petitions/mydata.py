"""The petitions part of a citizen's "my data": the petitions, complaints and requests for public
information they filed with their account, their registry entries, answers and the files given with them (registered
from `PetitionsConfig.ready()`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from ghiseu.accounts.mydata import DataFile, DataPart, register_data_provider
from ghiseu.core.files import open_stored
from ghiseu.petitions.models import Petition


def petitions_of(user: Any) -> Any:
    """The petitions filed by this account (only theirs)."""
    return (
        Petition.objects.filter(petitioner_user_id=user.pk)
        .select_related("entry", "category", "answer_entry")
        .prefetch_related("photos__original", "entry__attachments__file")
        .order_by("pk")
    )


def petitions_data(user: Any) -> DataPart:
    records = []
    files: list[DataFile] = []
    for petition in petitions_of(user):
        entry = petition.entry
        # the files given with the petition (photos' originals among them) are its entry's attachments
        attachments = []
        for attachment in entry.attachments.all():
            name = f"petitie-{petition.pk}/{attachment.pk}-{attachment.original_name}"
            files.append(DataFile(name=name, open=partial(open_stored, attachment.file)))
            attachments.append(
                {
                    "name": attachment.original_name,
                    "sha256": attachment.file.sha256,
                    "size": attachment.file.size,
                    "file": name,
                }
            )
        photos = [{"name": photo.original_name, "sha256": photo.original.sha256} for photo in petition.photos.all()]
        records.append(
            {
                "id": petition.pk,
                "kind": petition.kind,
                "status": petition.status,
                "registry_entry": {
                    "number": entry.display_number,
                    "registered_at": entry.registered_at,
                    "subject": entry.subject,
                    "tracking_code": entry.tracking_code,
                },
                "petitioner": {
                    "name": petition.petitioner_name,
                    "address": petition.petitioner_address,
                    "email": petition.petitioner_email,
                    "phone": petition.petitioner_phone,
                },
                "description": petition.description,
                "category": petition.category.name if petition.category_id and petition.category else None,
                "location": {
                    "address": petition.location_address,
                    "latitude": petition.latitude,
                    "longitude": petition.longitude,
                },
                "attributes": petition.attributes,
                "due_date": petition.due_date,
                "answered_at": petition.answered_at,
                "answer": petition.answer_text,
                "answer_number": petition.answer_entry.display_number if petition.answer_entry else None,
                "attachments": attachments,
                "photos": photos,
                "created_at": petition.created_at,
            }
        )
    return DataPart(records=records, files=files)


def register_my_data_provider() -> None:
    register_data_provider("petitions", petitions_data)
