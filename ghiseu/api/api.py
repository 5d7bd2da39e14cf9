"""The API root: Django Ninja at /api/v1/, bearer tokens acting with their user's permissions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer

from ghiseu.accounts.models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.objects.select_related("user").filter(key=token, user__is_active=True).first()
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Ghișeu API",
    version="1",
    description="API-ul Ghișeu pentru celelalte sisteme ale primăriei.",
    auth=BearerToken(),
    urls_namespace="api",
)


def register_routers() -> None:
    from ghiseu.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)


register_routers()
