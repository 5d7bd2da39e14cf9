"""Writes of the accounts app: API tokens for the city hall's other systems, citizens' profiles and
the companies they represent."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ghiseu.accounts.identifiers import clean_cnp, clean_cui
from ghiseu.accounts.locks import lock_user_and_profile
from ghiseu.accounts.models import ApiToken, CitizenProfile, Company, CompanyRepresentative, User, _new_token
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError, NotFound
from ghiseu.core.text import clean_text


def _check_staff(user: User) -> None:
    if not user.is_staff_member:
        raise DomainError(
            _("Tokenurile API se dau doar personalului activ al primăriei; „%(user)s” nu este.")
            % {"user": user.get_username()},
            field="user",
            code="not_staff",
        )


def api_token_get_or_create(*, user: User, actor: User | None = None) -> tuple[ApiToken, bool]:
    """The user's API token, created if missing; `created` says which. Staff only.

    The token acts with its user's permissions. Creating one is audited (never the key).
    """
    _check_staff(user)
    with transaction.atomic():
        token, created = ApiToken.objects.get_or_create(user=user)
        if created:
            audit_record(
                actor=actor,
                action="accounts.api_token.created",
                obj=token,
                summary={"user": user.get_username()},
            )
    return token, created


def api_token_rotate(*, user: User, actor: User | None = None) -> ApiToken:
    """Replace the user's token with a new key (the old one stops working at once)."""
    _check_staff(user)
    with transaction.atomic():
        token, created = ApiToken.objects.select_for_update().get_or_create(user=user)
        if not created:
            token.key = _new_token()
            token.last_used_at = None
            token.save(update_fields=["key", "last_used_at"])
        audit_record(
            actor=actor,
            action="accounts.api_token.rotated" if not created else "accounts.api_token.created",
            obj=token,
            summary={"user": user.get_username()},
        )
    return token


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    return clean_text(value, field=field, label=label, max_length=max_length, required=required)


def profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    address: str = "",
    phone: str = "",
    cnp: str = "",
) -> CitizenProfile:
    """Save the citizen's name, address, phone and, when given, their CNP.

    An empty `cnp` keeps the one already stored. A CNP is validated (python-stdnum) and belongs to
    one account only. The audit event names the fields that changed, never their values.
    """
    first_name = _text(first_name, field="first_name", label=_("Prenume"), max_length=150, required=True)
    last_name = _text(last_name, field="last_name", label=_("Nume"), max_length=150, required=True)
    address = _text(address, field="address", label=_("Adresa de domiciliu"), max_length=300)
    phone = _text(phone, field="phone", label=_("Telefon"), max_length=30)
    if phone and not all(ch.isdigit() or ch in " +-()./" for ch in phone):
        raise DomainError(_("Telefonul conține doar cifre, spații și + - ( ) . /"), field="phone", code="invalid_phone")
    new_cnp = clean_cnp(cnp) if (cnp or "").strip() else None
    try:
        with transaction.atomic():
            locked, profile = lock_user_and_profile(user)
            if new_cnp and new_cnp != profile.cnp and CitizenProfile.objects.filter(cnp=new_cnp).exists():
                raise DomainError(
                    _("Acest CNP este deja folosit de un alt cont. Dacă este al dumneavoastră, contactați primăria."),
                    field="cnp",
                    code="cnp_taken",
                )
            changed = [
                name
                for name, old, new in [
                    ("first_name", locked.first_name, first_name),
                    ("last_name", locked.last_name, last_name),
                    ("address", profile.address, address),
                    ("phone", profile.phone, phone),
                    ("cnp", profile.cnp, new_cnp or profile.cnp),
                ]
                if old != new
            ]
            locked.first_name, locked.last_name = first_name, last_name
            locked.save(update_fields=["first_name", "last_name"])
            profile.address, profile.phone = address, phone
            if new_cnp:
                profile.cnp = new_cnp
            profile.save()
            if changed:
                audit_record(actor=locked, action="accounts.profile.updated", obj=profile, summary={"fields": changed})
    except IntegrityError:  # the same CNP saved by another account at the same moment
        raise DomainError(
            _("Acest CNP este deja folosit de un alt cont. Dacă este al dumneavoastră, contactați primăria."),
            field="cnp",
            code="cnp_taken",
        ) from None
    user.first_name, user.last_name = first_name, last_name
    return profile


def company_representation_add(
    *,
    user: User,
    cui: str,
    name: str,
    capacity: str,
    trade_register_number: str = "",
    address: str = "",
) -> CompanyRepresentative:
    """Record that the citizen acts for the company with this CUI (created on first mention)."""
    if user.is_staff_member:
        raise DomainError(_("Doar cetățenii reprezintă firme în portal."), code="not_citizen")
    cui = clean_cui(cui)
    name = _text(name, field="name", label=_("Denumirea"), max_length=200, required=True)
    capacity = _text(capacity, field="capacity", label=_("Calitatea dumneavoastră"), max_length=100, required=True)
    trade_register_number = _text(
        trade_register_number, field="trade_register_number", label=_("Nr. Registrul Comerțului"), max_length=40
    )
    address = _text(address, field="address", label=_("Sediul"), max_length=300)
    try:
        with transaction.atomic():
            company, created = Company.objects.get_or_create(
                cui=cui, defaults={"name": name, "trade_register_number": trade_register_number, "address": address}
            )
            if CompanyRepresentative.objects.filter(company=company, user=user).exists():
                raise DomainError(
                    _("Reprezentați deja firma cu CUI %(cui)s.") % {"cui": cui}, field="cui", code="duplicate"
                )
            link = CompanyRepresentative.objects.create(company=company, user=user, capacity=capacity)
            audit_record(
                actor=user,
                action="accounts.company.represented",
                obj=link,
                summary={"cui": cui, "company_created": created, "capacity": capacity},
            )
    except IntegrityError:
        raise DomainError(
            _("Reprezentați deja firma cu CUI %(cui)s.") % {"cui": cui}, field="cui", code="duplicate"
        ) from None
    return link


def company_representation_end(*, user: User, representation_id: int) -> None:
    """The citizen no longer acts for the company (someone else's link is "not found")."""
    with transaction.atomic():
        link = (
            CompanyRepresentative.objects.select_for_update()
            .select_related("company")
            .filter(pk=representation_id, user_id=user.pk)
            .first()
        )
        if link is None:
            raise NotFound(_("Nu reprezentați această firmă."))
        audit_record(
            actor=user,
            action="accounts.company.representation_ended",
            obj=link,
            summary={"cui": link.company.cui},
        )
        link.delete()


def my_data_exported(*, user: User, files: int, size: int) -> None:
    """Record that the citizen downloaded their data (what was given, not the data)."""
    with transaction.atomic():
        audit_record(actor=user, action="accounts.my_data.exported", obj=user, summary={"files": files, "bytes": size})
