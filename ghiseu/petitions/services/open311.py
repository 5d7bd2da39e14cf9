"""Open311 GeoReport v2: the client applications and their keys, and filing a service request.

A request filed through Open311 is a report (sesizare) like any other: registered in the general
register by the system account `open311` (role clerk, no password), numbered, routed by its
category's department, given its legal term, and filed away if the reporter left no name and
e-mail (OG 27/2002 art. 7).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import User
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError, NotFound
from ghiseu.core.text import clean_text
from ghiseu.petitions.models import (
    AttributeDatatype,
    CategoryAttribute,
    Kind,
    Open311Client,
    Petition,
    PetitionCategory,
    hash_open311_key,
    new_open311_key,
)
from ghiseu.petitions.services.register import petition_register, system_actor
from ghiseu.registry.models import Channel
from ghiseu.registry.services import Upload

OPEN311_USERNAME = "open311"
MAX_DESCRIPTION = 4000  # GeoReport v2: free-form text limited to 4,000 characters
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
REQUEST_ID = re.compile(r"^\s*(\d{1,9})-(\d{4})\s*$")


# --- Clients and keys ----------------------------------------------------------------------------


def open311_client_issue_key(*, name: str, actor: User | None = None) -> tuple[Open311Client, str]:
    """A new key for the client `name` (created when new); the old key stops working at once.

    Only the key's SHA-256 is kept: the returned key is shown once and cannot be read again.
    """
    name = clean_text(name, field="name", label=_("Aplicație"), max_length=120, required=True)
    key = new_open311_key()
    with transaction.atomic():
        client = Open311Client.objects.select_for_update().filter(name=name).first()
        created = client is None
        if client is None:
            client = Open311Client(name=name)
        client.set_key(key)
        client.last_used_at = None
        client.save()
        audit_record(
            actor=actor,
            action="petitions.open311_client.created" if created else "petitions.open311_client.key_rotated",
            obj=client,
            summary={"name": name, "key_prefix": client.key_prefix},
        )
    return client, key


def open311_client_for_key(key: str) -> Open311Client | None:
    """The active client whose key this is, or None."""
    key = (key or "").strip()
    if not key or len(key) > 200 or not key.isprintable():
        return None
    client = Open311Client.objects.filter(key_hash=hash_open311_key(key), is_active=True).first()
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def open311_actor() -> User:
    return system_actor(OPEN311_USERNAME, label="Open311")


# --- Identifiers -------------------------------------------------------------------------------


def request_id(petition: Petition) -> str:
    """The public id of a request: its registration number and year, `1234-2026`."""
    return f"{petition.entry.number}-{petition.entry.year}"


def open311_petitions() -> QuerySet[Petition]:
    """The petitions Open311 shows: those filed under a category (a service), original entries only."""
    return Petition.objects.filter(
        category__isnull=False, entry__answers__isnull=True, entry__register__is_general=True
    )


def petition_for_request_id(value: str) -> Petition:
    match = REQUEST_ID.match(value or "")
    if not match:
        raise NotFound(_("Cererea „%(id)s” nu există.") % {"id": (value or "")[:40]}, code="not_found")
    number, year = int(match.group(1)), int(match.group(2))
    petition = (
        open311_petitions()
        .select_related("entry", "category", "entry__department")
        .filter(entry__number=number, entry__year=year)
        .first()
    )
    if petition is None:
        raise NotFound(_("Cererea „%(id)s” nu există.") % {"id": value.strip()[:40]}, code="not_found")
    return petition


# --- Filing a request ----------------------------------------------------------------------------


@dataclass
class Open311Submission:
    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""
    device_id: str = ""
    account_id: str = ""


def category_for_service_code(service_code: str) -> PetitionCategory:
    code = (service_code or "").strip().replace("\x00", "")
    if not code:
        raise DomainError(_("Lipsește service_code."), field="service_code", code="service_code_missing")
    category = PetitionCategory.objects.filter(service_code=code, is_active=True).select_related("department").first()
    if category is None:
        raise NotFound(
            _("Serviciul „%(code)s” nu există.") % {"code": code[:40]}, field="service_code", code="service_code"
        )
    return category


def _check_value(attribute: CategoryAttribute, values: list[str]) -> list[str]:
    values = [v.strip() for v in values if v is not None and v.strip()]
    label = {"code": attribute.code}
    if not values:
        return []
    if any("\x00" in v for v in values):
        raise DomainError(
            _("Atributul „%(code)s” conține caractere nepermise.") % label, field=f"attribute[{attribute.code}]"
        )
    if attribute.datatype != AttributeDatatype.MULTI and len(values) > 1:
        raise DomainError(
            _("Atributul „%(code)s” primește o singură valoare.") % label, field=f"attribute[{attribute.code}]"
        )
    if attribute.datatype in (AttributeDatatype.SINGLE, AttributeDatatype.MULTI):
        allowed = attribute.value_keys()
        wrong = [v for v in values if v not in allowed]
        if wrong:
            raise DomainError(
                _("Valoarea „%(value)s” nu este permisă pentru atributul „%(code)s”.")
                % {**label, "value": wrong[0][:40]},
                field=f"attribute[{attribute.code}]",
            )
    elif attribute.datatype == AttributeDatatype.NUMBER:
        try:
            if not Decimal(values[0]).is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise DomainError(
                _("Atributul „%(code)s” trebuie să fie un număr.") % label, field=f"attribute[{attribute.code}]"
            ) from None
    elif attribute.datatype == AttributeDatatype.DATETIME:
        try:
            dt.datetime.fromisoformat(values[0])
        except ValueError:
            raise DomainError(
                _("Atributul „%(code)s” trebuie să fie o dată ISO 8601.") % label, field=f"attribute[{attribute.code}]"
            ) from None
    elif attribute.datatype == AttributeDatatype.STRING and any("\n" in v for v in values):
        raise DomainError(
            _("Atributul „%(code)s” este pe un singur rând.") % label, field=f"attribute[{attribute.code}]"
        )
    if any(len(v) > 1000 for v in values):
        raise DomainError(_("Atributul „%(code)s” este prea lung.") % label, field=f"attribute[{attribute.code}]")
    return values


def check_attributes(category: PetitionCategory, given: dict[str, list[str]]) -> dict[str, Any]:
    """The attribute values checked against the service definition (required, lists, types)."""
    definitions = {a.code: a for a in category.attributes.all() if a.variable}
    unknown = sorted(code.replace("\x00", "") for code in set(given) - set(definitions))
    if unknown:
        raise DomainError(
            _("Atributul „%(code)s” nu există pentru acest serviciu.") % {"code": unknown[0][:40]},
            field=f"attribute[{unknown[0][:40]}]",
        )
    result: dict[str, Any] = {}
    for code, attribute in definitions.items():
        values = _check_value(attribute, given.get(code, []))
        if not values:
            if attribute.required:
                raise DomainError(
                    _("Atributul obligatoriu „%(code)s” lipsește.") % {"code": code},
                    field=f"attribute[{code}]",
                    code="required",
                )
            continue
        result[code] = values if attribute.datatype == AttributeDatatype.MULTI else values[0]
    return result


def open311_request_create(
    *, client: Open311Client, submission: Open311Submission, photos: Sequence[Upload] = ()
) -> Petition:
    """File an Open311 service request as a report (sesizare) in the registry."""
    category = category_for_service_code(submission.service_code)
    has_point = bool(submission.lat.strip() or submission.long.strip())
    if not has_point and not submission.address_string.strip() and not submission.address_id.strip():
        raise DomainError(
            _("Indicați locul: lat și long, address_string sau address_id."), field="location", code="location_missing"
        )
    description = (submission.description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(_("Descrierea are cel mult 4000 de caractere."), field="description")
    attributes = check_attributes(category, submission.attributes)
    name = " ".join(p for p in (submission.first_name.strip(), submission.last_name.strip()) if p)
    text = description or _("Sesizare fără descriere: %(category)s.") % {"category": category.name}
    if attributes:
        answers = "; ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in attributes.items())
        text = f"{text}\n\n{answers}"
    return petition_register(
        actor=open311_actor(),
        kind=Kind.REPORT,
        channel=Channel.API,
        description=text,
        petitioner_name=name,
        petitioner_email=submission.email,
        petitioner_phone=submission.phone,
        category=category,
        latitude=submission.lat or None,
        longitude=submission.long or None,
        location_address=submission.address_string,
        address_id=submission.address_id,
        attributes=attributes,
        media_url=submission.media_url,
        photos=photos,
        open311_client=client,
    )
