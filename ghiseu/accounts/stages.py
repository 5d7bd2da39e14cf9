"""Login stages of django-allauth adapted to the city hall."""

from __future__ import annotations

from typing import Any

from allauth.account import stages


class EmailVerificationStage(stages.EmailVerificationStage):
    """Mandatory e-mail verification for citizens; staff (made by the administrator, logging in
    with their username) pass without it."""

    def handle(self) -> tuple[Any, bool]:
        if getattr(self.login.user, "is_staff_member", False):
            return None, True
        response, cont = super().handle()
        return response, cont
