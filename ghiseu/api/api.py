"""The API root: Django Ninja at /api/v1/, bearer tokens acting with their user's permissions.

A token is created with `manage.py api_token USERNAME` (staff only). Every call sends
`Authorization: Bearer <token>`; the token of an inactive user, or of a user who is no longer
staff, does not open the staff endpoints. Errors are JSON (ghiseu.api.errors).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from ghiseu.accounts.models import ApiToken
from ghiseu.api import errors

# `last_used_at` is written at most this often per token: a read must not queue for the write lock.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
MAX_TOKEN_LENGTH = 64


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>` → the token's user, who must be an active staff member.

    Unknown key or inactive user: None (401). A valid token of a user who is not staff: 403.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = token.strip()
        if not key or len(key) > MAX_TOKEN_LENGTH or not key.isprintable():
            return None
        found = ApiToken.objects.select_related("user").filter(key=key).first()
        if found is None or not found.user.is_active:
            return None
        user = found.user
        if not user.is_staff_member:
            raise AuthorizationError(message=_("Tokenul nu aparține unui membru al personalului primăriei."))
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = user
        return user


api = NinjaAPI(
    title="Ghișeu API",
    version="1",
    description=(
        "API-ul Ghișeu pentru celelalte sisteme ale primăriei. Autentificare: antetul "
        "`Authorization: Bearer <token>` (tokenul se creează cu `manage.py api_token UTILIZATOR`); "
        "tokenul lucrează cu drepturile utilizatorului său. Erorile sunt JSON: "
        '`{"detail": mesaj, "code": cod, "field": câmp}`.'
    ),
    auth=BearerToken(),
    urls_namespace="api",
)
errors.install(api)


def register_routers() -> None:
    from ghiseu.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)
    api.add_router("/search", "ghiseu.search.api.router")


register_routers()
