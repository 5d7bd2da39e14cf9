"""Staff without a second factor are sent to set one up before any page (GHISEU_STAFF_MFA_REQUIRED)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ghiseu.accounts.adapters import has_totp, staff_mfa_required


def _allowed_prefixes() -> tuple[str, ...]:
    """Where a staff member without MFA may still go: setting MFA up (and re-authenticating for it),
    logging out, choosing the language, static files."""
    return (
        reverse("mfa_index"),
        reverse("account_reauthenticate"),
        reverse("account_logout"),
        reverse("accounts:logout"),
        reverse("set_language"),
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class StaffMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and staff_mfa_required(user)
            and not request.path.startswith(_allowed_prefixes())
            and not has_totp(user)
        ):
            messages.warning(
                request,
                _(
                    "Personalul primăriei intră în cont cu doi factori. Configurați acum o aplicație de "
                    "autentificare (TOTP), apoi continuați."
                ),
            )
            target = reverse("mfa_activate_totp")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
