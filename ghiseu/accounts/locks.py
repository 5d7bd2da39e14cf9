"""Row locks of the accounts app, taken in one place: the user row first, then their profile."""

from __future__ import annotations

from ghiseu.accounts.models import CitizenProfile, User


def lock_user_and_profile(user: User) -> tuple[User, CitizenProfile]:
    """The user and their profile (created if missing), locked for update inside a transaction."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    CitizenProfile.objects.get_or_create(user=locked)
    profile = CitizenProfile.objects.select_for_update().get(user=locked)
    return locked, profile
