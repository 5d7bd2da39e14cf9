"""The archive's background tasks (django-tasks, database backend).

`archive_import_item`: one task per scan file, on the "ocr" queue (run as many workers of that
queue as there are cores: `manage.py db_worker --queue-name ocr`, with OMP_THREAD_LIMIT=1).
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
