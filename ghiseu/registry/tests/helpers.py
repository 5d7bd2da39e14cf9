"""What registry tests (and the tests of apps built on the registry) register with."""

from __future__ import annotations

from typing import Any

from ghiseu.registry.models import DocumentType, Entry
from ghiseu.registry.services import entry_register


def register(actor: Any, **kw: Any) -> Entry:
    """`entry_register` of an incoming petition at the counter, from Ion Ionescu, about the public
    lighting; any argument given replaces its default (`files`: `Upload`s)."""
    args: dict[str, Any] = {
        "actor": actor,
        "direction": "incoming",
        "channel": "counter",
        "document_type": DocumentType.objects.get(code="petition"),
        "sender": "Ion Ionescu",
        "subject": "Cerere privind iluminatul public pe strada Ștefan cel Mare",
    }
    args.update(kw)
    return entry_register(**args)
