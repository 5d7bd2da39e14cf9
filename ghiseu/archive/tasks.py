"""The archive's background tasks (django-tasks, database backend).

`archive_import_item`: one task per scan file, on the "ocr" queue (run as many workers of that
queue as there are cores: `manage.py db_worker --queue-name ocr`, with OMP_THREAD_LIMIT=1).
`archive_register_upload`: registers a ZIP uploaded in the staff UI, then queues its files.
`archive_file_entry`: files a closed registry entry's attachments into its dossier ("ocr" queue).
`archive_fixity_check`: re-reads stored files and compares SHA-256 (schedule it, e.g. nightly).
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


# Defined on the default queue (a task's queue is checked when it is defined) and enqueued on
# "ocr" with `.using(queue_name=services.imports.ocr_queue_name())` when the backend has it.
@task()
def archive_import_item(item_id: int) -> str:
    """OCR one import item and file its document; safe to run twice or after a killed worker."""
    from ghiseu.archive.services.imports import import_process_item

    return import_process_item(item_id)


@task()
def archive_fixity_check(limit: int | None = None, include_all_files: bool = False) -> dict[str, Any]:
    from ghiseu.archive.services.fixity import fixity_check

    return fixity_check(limit=limit, include_all_files=include_all_files).as_dict()


@task()
def archive_register_upload(batch_id: int, zip_file_id: int) -> str:
    """Register a ZIP batch uploaded in the staff UI and queue the OCR of its files."""
    from ghiseu.archive.services.uploads import import_register_upload

    return import_register_upload(batch_id=batch_id, zip_file_id=zip_file_id)


@task()
def archive_file_entry(entry_id: int) -> dict[str, int]:
    """File a closed registry entry's attachments (and its replies') into its dossier."""
    from ghiseu.archive.services.filing import registry_entry_file

    return registry_entry_file(entry_id=entry_id)
