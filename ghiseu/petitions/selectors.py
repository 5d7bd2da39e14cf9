"""Reads of the petitions app: what staff see, deadline warnings, and the public list of reported
problems — which carries no personal data at all (no name, e-mail, phone, description, exact
address or exact position)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ghiseu.petitions import geo, rules
from ghiseu.petitions.models import (
    OPEN_STATUSES,
    PETITION_KINDS,
    Petition,
    PetitionCategory,
    PetitionStatus,
)
from ghiseu.registry import permissions as registry_permissions


def visible_petitions(user: Any) -> QuerySet[Petition]:
    entries = registry_permissions.visible_entries(user)
    return Petition.objects.filter(entry__in=entries).select_related("entry", "entry__department", "category")


def due_state(petition: Petition, today: dt.date | None = None) -> str:
    """`closed`, `overdue`, `soon` (within GHISEU_DUE_SOON_DAYS) or ``."""
    from django.conf import settings

    today = today or timezone.localdate()
    if not petition.is_open:
        return "closed"
    if petition.due_date < today:
        return "overdue"
    if petition.due_date <= today + dt.timedelta(days=settings.GHISEU_DUE_SOON_DAYS):
        return "soon"
    return ""


def forward_state(petition: Petition, today: dt.date | None = None) -> str:
    """For an open petition that may belong to another authority: `warn` from day 3 after
    registration, `overdue` after the 5-day forwarding term, else ``."""
    if not petition.is_open or petition.forward_due_date is None or petition.kind not in PETITION_KINDS:
        return ""
    today = today or timezone.localdate()
    if today > petition.forward_due_date:
        return "overdue"
    if today >= rules.forward_warning_date(petition.term_start):
        return "warn"
    return ""


def petitions_to_forward_soon(user: Any, today: dt.date | None = None) -> list[Petition]:
    """Open petitions in their forwarding window (day 3 to day 5): the clerk decides now or never."""
    today = today or timezone.localdate()
    qs = visible_petitions(user).filter(
        status__in=OPEN_STATUSES, kind__in=PETITION_KINDS, forward_due_date__gte=today - dt.timedelta(days=31)
    )
    return [p for p in qs.order_by("forward_due_date") if forward_state(p, today) == "warn"]


def repeat_candidates(petition: Petition) -> QuerySet[Petition]:
    """Earlier answered petitions of the same petitioner: a hint for the clerk, who decides."""
    if petition.anonymous:
        return Petition.objects.none()
    same = Q(petitioner_key=petition.petitioner_key) if petition.petitioner_key else Q(pk__in=[])
    if petition.petitioner_email:
        same |= Q(petitioner_email__iexact=petition.petitioner_email)
    if petition.petitioner_user_id:
        same |= Q(petitioner_user_id=petition.petitioner_user_id)
    return (
        Petition.objects.filter(same, status=PetitionStatus.ANSWERED, anonymous=False)
        .filter(entry__registered_at__lt=petition.entry.registered_at)
        .exclude(pk=petition.pk)
        .select_related("entry")
        .order_by("-entry__registered_at")
    )


def join_candidates(petition: Petition) -> QuerySet[Petition]:
    """Earlier open petitions of the same petitioner, not joined themselves."""
    if petition.anonymous:
        return Petition.objects.none()
    same = Q(petitioner_key=petition.petitioner_key) if petition.petitioner_key else Q(pk__in=[])
    if petition.petitioner_email:
        same |= Q(petitioner_email__iexact=petition.petitioner_email)
    if petition.petitioner_user_id:
        same |= Q(petitioner_user_id=petition.petitioner_user_id)
    return (
        Petition.objects.filter(same, status__in=OPEN_STATUSES, anonymous=False)
        .filter(entry__registered_at__lt=petition.entry.registered_at)
        .exclude(pk=petition.pk)
        .select_related("entry")
        .order_by("entry__registered_at")
    )


# --- The public list of reported problems -----------------------------------------------------


PUBLIC_STATUS = {
    PetitionStatus.REGISTERED: "open",
    PetitionStatus.IN_PROGRESS: "open",
    PetitionStatus.EXTENDED: "open",
    PetitionStatus.ANSWERED: "closed",
    PetitionStatus.FORWARDED: "closed",
    PetitionStatus.JOINED: "closed",
    PetitionStatus.FILED_AWAY: "closed",
}


@dataclass(frozen=True)
class PublicReport:
    """One reported problem as anybody may see it."""

    number: str
    registered_on: dt.date
    category_code: str
    category: str
    status: str
    status_label: str
    street: str
    latitude: Decimal | None
    longitude: Decimal | None
    distance_m: float | None = None


def _public_row(petition: Petition, distance_m: float | None = None) -> PublicReport:
    assert petition.category is not None
    return PublicReport(
        number=petition.entry.display_number,
        registered_on=petition.entry.registered_on,
        category_code=petition.category.code,
        category=petition.category.name,
        status=PUBLIC_STATUS[PetitionStatus(petition.status)],
        status_label=str(petition.get_status_display()),
        street=geo.public_street(petition.location_address),
        latitude=geo.public_coordinate(petition.latitude),
        longitude=geo.public_coordinate(petition.longitude),
        distance_m=round(distance_m, 1) if distance_m is not None else None,
    )


def _public_queryset() -> QuerySet[Petition]:
    """Public-domain reports that are being or were examined: a category, not anonymous (never
    examined), not joined (another row stands for them), not filed away."""
    return (
        Petition.objects.filter(category__isnull=False, anonymous=False, kind__in=PETITION_KINDS)
        .exclude(status__in=[PetitionStatus.FILED_AWAY, PetitionStatus.JOINED])
        .select_related("entry", "category")
        .only(
            "status",
            "location_address",
            "latitude",
            "longitude",
            "category__code",
            "category__name",
            "entry__number",
            "entry__registered_at",
            "entry__answers",
        )
    )


def public_reports(
    *,
    category: PetitionCategory | None = None,
    status: str = "",
    date_from: dt.date | None = None,
    limit: int = 200,
) -> list[PublicReport]:
    qs = _public_queryset()
    if category is not None:
        qs = qs.filter(category=category)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    if date_from is not None:
        qs = qs.filter(term_start__gte=date_from)
    return [_public_row(p) for p in qs.order_by("-entry__registered_at", "-pk")[: max(1, min(limit, 1000))]]


def similar_reports(
    *, category: PetitionCategory, latitude: Decimal | float, longitude: Decimal | float, now: dt.datetime | None = None
) -> list[PublicReport]:
    """Reports of the same category within the configured radius (~50 m) in the last 30 days,
    nearest first: the hint shown before a citizen submits a new one."""
    radius = float(rules.option("similar_radius_m"))
    days = int(rules.option("similar_days"))
    lat, long = float(latitude), float(longitude)
    min_lat, min_long, max_lat, max_long = geo.box_around(lat, long, radius * 1.05)
    since = (now or timezone.now()) - dt.timedelta(days=days)
    candidates = _public_queryset().filter(
        category=category,
        latitude__gte=Decimal(str(round(min_lat, 6))),
        latitude__lte=Decimal(str(round(max_lat, 6))),
        longitude__gte=Decimal(str(round(min_long, 6))),
        longitude__lte=Decimal(str(round(max_long, 6))),
        entry__registered_at__gte=since,
    )
    found = []
    for petition in candidates:
        assert petition.latitude is not None and petition.longitude is not None
        distance = geo.haversine_m(lat, long, float(petition.latitude), float(petition.longitude))
        if distance <= radius:
            found.append((distance, petition))
    found.sort(key=lambda pair: pair[0])
    return [_public_row(p, d) for d, p in found]
