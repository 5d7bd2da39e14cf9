"""Registering a petition: validated first, then one transaction that registers the registry entry,
keeps the petition, its photos and its terms, writes the audit event — and files away at once an
anonymous petition (OG 27/2002 art. 7: registered, never examined, never lost)."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ghiseu.accounts.models import Department, Role, User
from ghiseu.audit.services import audit_record
from ghiseu.core.calendar import WorkingCalendar
from ghiseu.core.errors import DomainError, PermissionDenied
from ghiseu.core.files import store_file
from ghiseu.core.models import StoredFile
from ghiseu.core.text import clean_text, fold, normalize_romanian
from ghiseu.petitions import geo, permissions, rules
from ghiseu.petitions.indexing import petition_search_update
from ghiseu.petitions.models import (
    INFORMATION_KINDS,
    FilingReason,
    Kind,
    Open311Client,
    Petition,
    PetitionCategory,
    PetitionerType,
    PetitionPhoto,
    PetitionStatus,
)
from ghiseu.petitions.photos import CheckedPhoto, photo_check
from ghiseu.petitions.services.notify import _tell_petitioner
from ghiseu.registry.models import Channel, Direction, DocumentType, Entry
from ghiseu.registry.services import Upload, entry_close, entry_register, entry_set_due_date

MAX_DESCRIPTION = 20000
_PHONE = re.compile(r"^[+0-9 ().\-/]{6,30}$")

# The registry document type of each kind: the first code that exists and is active.
KIND_DOCUMENT_TYPES: dict[str, tuple[str, ...]] = {
    Kind.REQUEST: ("petition",),
    Kind.COMPLAINT: ("complaint",),
    Kind.REPORT: ("report",),
    Kind.PROPOSAL: ("petition",),
    Kind.PUBLIC_INFORMATION: ("public-information",),
    Kind.ADMINISTRATIVE_COMPLAINT: ("administrative-complaint", "public-information"),
}


def document_type_for(kind: str) -> DocumentType:
    for code in KIND_DOCUMENT_TYPES[kind]:
        found = DocumentType.objects.filter(code=code, is_active=True).first()
        if found is not None:
            return found
    raise DomainError(_("Tipul de document pentru acest fel de petiție nu este configurat."), code="no_document_type")


def is_identified(*, name: str, address: str, email: str, user: User | None = None) -> bool:
    """OG 27/2002 art. 7: a petition is examined only with the petitioner's name and an address to answer to."""
    return bool(name.strip()) and bool(address.strip() or email.strip() or (user is not None and user.email))


def petitioner_key(name: str) -> str:
    return fold(name)[:300]


def system_actor(username: str, *, label: str) -> User:
    """A staff account that registers what arrives without a clerk (Open311, portal): role clerk,
    no department, no password, no access to the admin."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.CLERK, "first_name": label, "is_active": True, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.is_active or user.role != Role.CLERK:
        raise DomainError(_("Contul de sistem „%(user)s” este dezactivat.") % {"user": username}, code="system_actor")
    return user


def sync_entry_due_date(*, actor: User | None, entry: Entry, due_date: dt.date, reason: str) -> None:
    """Keep the registry entry's due date equal to the petition's legal due date (audited by the
    registry). `actor=None`: the system applying the law's term, not a person's decision."""
    if entry.due_date == due_date:
        return
    entry_set_due_date(actor=actor, entry=entry, due_date=due_date, reason=reason)
    entry.due_date = due_date


def _term_basis(kind: str) -> str:
    if kind == Kind.ADMINISTRATIVE_COMPLAINT:
        return rules.BASIS["administrative_complaint"]
    if kind in INFORMATION_KINDS:
        return rules.BASIS["information_answer"]
    return rules.BASIS["petition_answer"]


def _check_category(kind: str, category: PetitionCategory | None) -> None:
    if category is None:
        return
    if kind in INFORMATION_KINDS:
        raise DomainError(_("O solicitare de informații publice nu are categorie."), field="category")
    if not category.is_active:
        raise DomainError(_("Categoria nu mai este folosită."), field="category")


def _check_original_request(kind: str, original: Petition | None) -> None:
    if kind != Kind.ADMINISTRATIVE_COMPLAINT:
        if original is not None:
            raise DomainError(_("Doar o reclamație administrativă contestă o solicitare."), field="original_request")
        return
    if original is None:
        raise DomainError(
            _("Indicați solicitarea de informații publice contestată."), field="original_request", code="required"
        )
    if original.kind != Kind.PUBLIC_INFORMATION:
        raise DomainError(
            _("Reclamația administrativă contestă o solicitare de informații de interes public."),
            field="original_request",
        )
    answered = original.status == PetitionStatus.ANSWERED
    tacit_refusal = original.is_open and original.due_date < timezone.localdate()
    if not (answered or tacit_refusal):
        raise DomainError(
            _("Solicitarea nr. %(number)s nu a primit încă răspuns și termenul ei nu a trecut.")
            % {"number": original.number},
            field="original_request",
        )


def _check_media_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise DomainError(_("Adresa imaginii nu este un URL valid."), field="media_url") from None
    if len(url) > 500:
        raise DomainError(_("Adresa imaginii are cel mult 500 de caractere."), field="media_url")
    return url


def _check_attributes(attributes: dict[str, Any] | None) -> dict[str, Any]:
    attributes = attributes or {}
    if not isinstance(attributes, dict):
        raise DomainError(_("Răspunsurile la întrebări nu sunt valide."), field="attributes")
    return attributes


def petition_register(
    *,
    actor: User,
    kind: str,
    channel: str,
    description: str,
    subject: str = "",
    petitioner_name: str = "",
    petitioner_address: str = "",
    petitioner_email: str = "",
    petitioner_phone: str = "",
    petitioner_type: str = PetitionerType.PERSON,
    petitioner_user: User | None = None,
    anonymous: bool = False,
    category: PetitionCategory | None = None,
    department: Department | None = None,
    latitude: object = None,
    longitude: object = None,
    location_address: str = "",
    address_id: str = "",
    attributes: dict[str, Any] | None = None,
    media_url: str = "",
    photos: Sequence[Upload] = (),
    attachments: Sequence[Upload] = (),
    received_by_forwarding: bool = False,
    forwarded_from: str = "",
    sender_reference: str = "",
    sender_date: dt.date | None = None,
    pages: int = 1,
    annexes: int = 0,
    original_request: Petition | None = None,
    open311_client: Open311Client | None = None,
) -> Petition:
    """Register a petition (any kind) as a registry entry and start its legal terms.

    The category routes it to its department (unless a department is given). A petition received
    by forwarding from another authority starts a new 30-day term from its registration here. An
    anonymous petition, or one without the petitioner's identification data, is registered and
    filed away at once with the legal reason, and is never examined.
    """
    if kind not in Kind.values:
        raise DomainError(_("Tipul petiției nu este valid."), field="kind")
    if channel not in Channel.values:
        raise DomainError(_("Canalul de primire nu este valid."), field="channel")
    if petitioner_type not in PetitionerType.values:
        raise DomainError(_("Tipul petiționarului nu este valid."), field="petitioner_type")
    if not permissions.can_register(actor):
        raise PermissionDenied(_("Nu aveți dreptul să înregistrați petiții."))
    description = clean_text(
        description, field="description", label=_("Conținut"), max_length=MAX_DESCRIPTION, required=True
    )
    name = clean_text(petitioner_name, field="petitioner_name", label=_("Nume"), max_length=200)
    address = clean_text(petitioner_address, field="petitioner_address", label=_("Adresă"), max_length=300)
    email = (petitioner_email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Adresa de e-mail nu este validă."), field="petitioner_email") from None
    phone = (petitioner_phone or "").strip()
    if phone and not _PHONE.match(phone):
        raise DomainError(_("Numărul de telefon nu este valid."), field="petitioner_phone")
    location_address = clean_text(location_address, field="location_address", label=_("Locul"), max_length=300)
    address_id = clean_text(address_id, field="address_id", label=_("Cod adresă"), max_length=60)
    forwarded_from = clean_text(forwarded_from, field="forwarded_from", label=_("Redirecționată de"), max_length=300)
    if received_by_forwarding and not forwarded_from:
        raise DomainError(
            _("Indicați autoritatea care a redirecționat petiția."), field="forwarded_from", code="required"
        )
    _check_category(kind, category)
    _check_original_request(kind, original_request)
    media_url = _check_media_url(media_url)
    attributes = _check_attributes(attributes)
    location = geo.parse_location(latitude, longitude)
    max_photos = int(rules.option("photos_max"))
    if len(photos) > max_photos:
        raise DomainError(_("Cel mult %(max)d fotografii.") % {"max": max_photos}, field="photos")
    checked: list[CheckedPhoto] = [photo_check(p.file, name=p.name) for p in photos]
    if location is None:
        for photo in checked:  # the camera's position, when the citizen gave none and it is in the city
            lat, long = photo.gps_latitude, photo.gps_longitude
            if lat is not None and long is not None and geo.in_city(lat, long):
                location = (lat, long)
                break
    anonymous = anonymous or not is_identified(name=name, address=address, email=email, user=petitioner_user)
    if anonymous:
        department = None  # never examined: not routed to anybody
    elif department is None and category is not None:
        department = category.department
    if not subject:
        first_line = description.splitlines()[0] if description else ""
        subject = f"{category.name}: {location_address or first_line}" if category else first_line
    subject = normalize_romanian(subject.strip())[:500]
    document_type = document_type_for(kind)
    files = [Upload(io.BytesIO(p.content), p.name, len(p.content)) for p in checked] + list(attachments)

    calendar = WorkingCalendar()
    with transaction.atomic():
        entry = entry_register(
            actor=actor,
            direction=Direction.INCOMING,
            channel=channel,
            document_type=document_type,
            sender=forwarded_from if received_by_forwarding else (name or str(_("Anonim"))),
            sender_address="" if received_by_forwarding else address,
            sender_email="" if received_by_forwarding else email,
            sender_reference=sender_reference,
            sender_date=sender_date,
            subject=subject,
            pages=pages,
            annexes=annexes,
            department=department,
            linked_to=original_request.entry if original_request is not None else None,
            files=files,
        )
        start = entry.registered_on
        terms = rules.initial_terms(kind, start, calendar)
        petition = Petition.objects.create(
            entry=entry,
            kind=kind,
            status=PetitionStatus.REGISTERED,
            petitioner_type=petitioner_type,
            petitioner_name=name,
            petitioner_address=address,
            petitioner_email=email,
            petitioner_phone=phone,
            petitioner_user=petitioner_user,
            petitioner_key=petitioner_key(name),
            anonymous=anonymous,
            description=description,
            category=category,
            latitude=location[0] if location else None,
            longitude=location[1] if location else None,
            location_address=location_address,
            address_id=address_id,
            attributes=attributes,
            media_url=media_url,
            term_start=start,
            due_date=terms.due_date,
            refusal_due_date=terms.refusal_due_date,
            forward_due_date=terms.forward_due_date,
            received_by_forwarding=received_by_forwarding,
            forwarded_from=forwarded_from,
            original_request=original_request,
            open311_client=open311_client,
            open311_token=secrets.token_urlsafe(12) if open311_client is not None else "",
        )
        for photo in checked:
            original = StoredFile.objects.get(sha256=photo.sha256)
            public = store_file(io.BytesIO(photo.public_content), content_type=photo.content_type)
            PetitionPhoto.objects.create(
                petition=petition,
                original=original,
                public=public,
                original_name=photo.name,
                width=photo.width,
                height=photo.height,
                gps_latitude=photo.gps_latitude,
                gps_longitude=photo.gps_longitude,
            )
        petition_search_update(petition)
        audit_record(
            actor=actor,
            action="petitions.petition.registered",
            obj=petition,
            summary={
                "number": entry.display_number,
                "kind": kind,
                "channel": channel,
                "category": category.code if category else None,
                "department": department.code if department else None,
                "due_date": terms.due_date,
                "anonymous": anonymous,
                "received_by_forwarding": received_by_forwarding,
                "original_request": original_request.number if original_request else None,
                "photos": len(checked),
                "open311_client": open311_client.name if open311_client else None,
            },
        )
        if not anonymous:
            # The law's term, set by the system: the registering account may be the portal's or Open311's.
            sync_entry_due_date(actor=None, entry=entry, due_date=terms.due_date, reason=_term_basis(kind))
        if anonymous:
            petition = _file_away_anonymous(actor=actor, petition=petition)
        else:
            _tell_petitioner(petition=petition, key="petition.registered")
    return petition


def anonymous_note(petition: Petition) -> str:
    basis = rules.BASIS["anonymous"]
    if petition.kind in INFORMATION_KINDS:
        basis = "Legea 544/2001, art. 6; " + basis
    return _("Clasată: petiție anonimă sau fără datele de identificare ale petiționarului (%(basis)s).") % {
        "basis": basis
    }


def _file_away_anonymous(*, actor: User, petition: Petition) -> Petition:
    note = anonymous_note(petition)
    entry_close(actor=actor, entry=petition.entry, outcome=note)
    petition.status = PetitionStatus.FILED_AWAY
    petition.filed_away_reason = FilingReason.ANONYMOUS
    petition.filed_away_note = note
    petition.filed_away_at = timezone.now()
    petition.save(update_fields=["status", "filed_away_reason", "filed_away_note", "filed_away_at", "updated_at"])
    petition.entry.refresh_from_db()
    audit_record(
        actor=actor,
        action="petitions.petition.filed_away",
        obj=petition,
        summary={
            "number": petition.number,
            "before": PetitionStatus.REGISTERED,
            "after": PetitionStatus.FILED_AWAY,
            "reason": FilingReason.ANONYMOUS,
            "basis": rules.BASIS["anonymous"],
        },
    )
    return petition
