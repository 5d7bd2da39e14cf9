"""Row locks of the registry, taken in one place and one order.

Order within a transaction: the register counter first, then (in the audit app) the audit
chain head, always last. Entries are locked only after the counter, by primary key.
"""

from __future__ import annotations

from ghiseu.registry.models import Entry, Register, RegisterCounter


def lock_counter(register: Register, year: int) -> RegisterCounter:
    """The counter row of a register-year, locked until the transaction ends (created if new).

    The insert ignores a conflicting row (INSERT ... ON CONFLICT DO NOTHING / INSERT OR
    IGNORE), so two clerks opening a new year at once both end up waiting on the same row.
    """
    RegisterCounter.objects.bulk_create([RegisterCounter(register=register, year=year)], ignore_conflicts=True)
    return RegisterCounter.objects.select_for_update().get(register=register, year=year)


def lock_entry(entry_id: int) -> Entry:
    return Entry.objects.select_for_update().select_related("department", "document_type").get(pk=entry_id)
