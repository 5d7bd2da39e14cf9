"""Writes of the accounts app: API tokens for the city hall's other systems."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ghiseu.accounts.models import ApiToken, User, _new_token
from ghiseu.audit.services import audit_record
from ghiseu.core.errors import DomainError


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
