"""django-allauth adapters: who must verify an e-mail, who must keep a second factor, and the ROeID
OpenID Connect app built from settings (switched on only when its server and client are set)."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.http import HttpRequest

from ghiseu.accounts.models import Role

ROEID_PROVIDER_ID = "roeid"


def staff_mfa_required(user: Any) -> bool:
    """Whether this user must hold a TOTP authenticator (staff, unless the setting relaxes it)."""
    return bool(getattr(settings, "GHISEU_STAFF_MFA_REQUIRED", True) and getattr(user, "is_staff_member", False))


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        # Staff are made by the administrator and log in with their username: their e-mail is not
        # what identifies them, so the mandatory verification applies to citizens only.
        return [
            "ghiseu.accounts.stages.EmailVerificationStage"
            if stage == "allauth.account.stages.EmailVerificationStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Allauth's mails (verification, password reset) signed with the institution's name."""
        context = {**context, "institution": settings.GHISEU_INSTITUTION}
        super().send_mail(template_prefix, email, context)

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        """Whoever signs up is a citizen; staff roles are given only by an administrator."""
        user = super().save_user(request, user, form, commit=False)
        user.role = Role.CITIZEN
        user.is_staff = False
        user.is_superuser = False
        if commit:
            user.save()
        return user


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A staff member cannot switch off their only TOTP while the second factor is required."""
        if authenticator.type == Authenticator.Type.TOTP and staff_mfa_required(authenticator.user):
            return False
        return bool(super().can_delete_authenticator(authenticator))


def roeid_app() -> SocialApp | None:
    """The ROeID OpenID Connect app from the GHISEU_OIDC_* settings, or None when they are not set."""
    server_url = getattr(settings, "GHISEU_OIDC_SERVER_URL", "")
    client_id = getattr(settings, "GHISEU_OIDC_CLIENT_ID", "")
    if not (server_url and client_id):
        return None
    return SocialApp(
        provider="openid_connect",
        provider_id=ROEID_PROVIDER_ID,
        name=getattr(settings, "GHISEU_OIDC_NAME", "") or "ROeID",
        client_id=client_id,
        secret=getattr(settings, "GHISEU_OIDC_CLIENT_SECRET", ""),
        settings={"server_url": server_url},
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request: HttpRequest, provider: Any = None, client_id: Any = None) -> list[SocialApp]:
        apps: list[SocialApp] = list(super().list_apps(request, provider=provider, client_id=client_id))
        app = roeid_app()
        if (
            app is not None
            and provider in (None, app.provider, app.provider_id)
            and client_id in (None, app.client_id)
            and not any(existing.provider_id == app.provider_id for existing in apps)
        ):
            apps.append(app)
        return apps

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        """Whoever arrives through ROeID is a citizen."""
        sociallogin.user.role = Role.CITIZEN
        sociallogin.user.is_staff = False
        sociallogin.user.is_superuser = False
        return super().save_user(request, sociallogin, form)
