"""Row locks of the petitions app, in one order: petitions (by primary key, ascending) first, then
the registry's own locks (counter, entry), then the audit chain head, always last."""

from __future__ import annotations

from collections.abc import Iterable

from ghiseu.petitions.models import Petition


def lock_petition(petition_id: int) -> Petition:
    return (
        Petition.objects.select_for_update(of=("self",))
        .select_related("entry", "entry__department", "entry__document_type", "category")
        .get(pk=petition_id)
    )


def lock_petitions(petition_ids: Iterable[int]) -> list[Petition]:
    ids = sorted(set(petition_ids))
    locked = {
        p.pk: p
        for p in Petition.objects.select_for_update(of=("self",))
        .select_related("entry", "entry__department", "entry__document_type", "category")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    return [locked[i] for i in ids]
