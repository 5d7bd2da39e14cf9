"""Small reference data kept in memory per process, so hot paths need not query it every time.

A `CommittedCache` holds what one loader read from the database. It trusts only committed
data: a value read inside a transaction (which may still roll back, as every test does) is
returned but not kept. It forgets the value when one of its models is saved or deleted in
this process (model signals, and `post_migrate`, which a test-database flush sends), and
after `ttl` seconds, which bounds how long another process can keep an outdated value.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models.signals import post_delete, post_migrate, post_save

T = TypeVar("T")


class CommittedCache(Generic[T]):
    def __init__(self, load: Callable[[], T], *, models: Iterable[str], ttl: float = 60.0) -> None:
        self._load = load
        self._ttl = ttl
        self._entry: tuple[float, T] | None = None
        self._lock = threading.Lock()
        for label in models:  # "app_label.ModelName": connected lazily by Django's model signals
            post_save.connect(self._changed, sender=label, weak=False)
            post_delete.connect(self._changed, sender=label, weak=False)
        post_migrate.connect(self._changed, weak=False)

    def get(self) -> T:
        entry = self._entry
        if entry is not None and time.monotonic() < entry[0]:
            return entry[1]
        value = self._load()
        if not connection.in_atomic_block:
            with self._lock:
                self._entry = (time.monotonic() + self._ttl, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entry = None

    def _changed(self, *args: Any, **kwargs: Any) -> None:
        self.clear()
