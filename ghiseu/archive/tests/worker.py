"""Run the task worker in the test process until no task is ready (all queues)."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management import call_command
from django.db import connection
from django_tasks_db.management.commands import db_worker


def run_worker(**options: Any) -> None:
    """`db_worker --batch` on every queue; in a test wrapped in a transaction the worker must not
    close the connection between tasks (it would end the test's transaction)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    original_close = db_worker.close_old_connections
    try:
        if connection.in_atomic_block:
            db_worker.close_old_connections = lambda **kwargs: None
        call_command("db_worker", batch=True, queue_name="*", startup_delay=False, reload=False, verbosity=0, **options)
    finally:
        db_worker.close_old_connections = original_close
        for sig, handler in saved.items():
            signal.signal(sig, handler)
