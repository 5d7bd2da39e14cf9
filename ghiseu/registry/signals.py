"""Signals the registry sends for other apps to act on (the registry depends on none of them).

`entry_closed(sender=Entry, entry=..., actor=...)`: sent by `services.entry_close` inside the
transaction that closes the entry, after its audit event. A receiver's writes (or the tasks it
enqueues in the database) commit or roll back with the close. The archive files the entry's
attachments into the dossier of its file code (ghiseu/archive/services/filing.py).
"""

from __future__ import annotations

from django.dispatch import Signal

entry_closed = Signal()
