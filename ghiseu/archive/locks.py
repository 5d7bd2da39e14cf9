"""Row locks of the archive, taken in one place and one order.

Order within a transaction: the import item first, then the dossier, then the import batch,
then (in the audit app) the audit chain head, always last.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from ghiseu.archive.models import Dossier, ImportBatch, ImportItem


def lock_item(item_id: int) -> ImportItem:
    return ImportItem.objects.select_for_update(of=("self",)).select_related("batch").get(pk=item_id)


def lock_dossier(*, file_code_id: int, year: int, volume: int, defaults: dict[str, Any]) -> tuple[Dossier, bool]:
    """The dossier of a file code, year and volume, locked; created from `defaults` if new.

    Two workers constituting the same dossier at once: the second insert waits for the first
    transaction, fails on the unique constraint inside its savepoint, and locks the row the
    first one made.
    """
    key = {"file_code_id": file_code_id, "year": year, "volume": volume}
    existing = Dossier.objects.select_for_update(of=("self",)).filter(**key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Dossier.objects.create(**key, **defaults), True
    except IntegrityError:
        return Dossier.objects.select_for_update(of=("self",)).get(**key), False


def lock_batch(batch_id: int) -> ImportBatch:
    return ImportBatch.objects.select_for_update().get(pk=batch_id)
