"""Reads of the accounts app: a citizen's profile, the companies they represent, their own data."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.db.models import QuerySet

from ghiseu.accounts.models import CitizenProfile, CompanyRepresentative
from ghiseu.accounts.mydata import DataPart


def profile_for(user: Any) -> CitizenProfile:
    """The user's profile; an unsaved empty one if they have not filled it in yet."""
    found = CitizenProfile.objects.filter(user_id=user.pk).first()
    return found if found is not None else CitizenProfile(user=user)


def representations_for(user: Any) -> QuerySet[CompanyRepresentative]:
    return CompanyRepresentative.objects.filter(user_id=user.pk).select_related("company").order_by("company__name")


def account_data(user: Any) -> DataPart:
    """The account's part of "my data": account, e-mail addresses, profile (with the whole CNP: it is
    the citizen's own), companies, second factors (their kind and dates, never a secret)."""
    profile = CitizenProfile.objects.filter(user_id=user.pk).first()
    return DataPart(
        records={
            "account": {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "role": user.role,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
            },
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user_id=user.pk).order_by("pk")
            ],
            "profile": None
            if profile is None
            else {
                "address": profile.address,
                "phone": profile.phone,
                "cnp": profile.cnp,
                "updated_at": profile.updated_at,
            },
            "companies": [
                {
                    "cui": r.company.cui,
                    "name": r.company.name,
                    "trade_register_number": r.company.trade_register_number,
                    "address": r.company.address,
                    "capacity": r.capacity,
                    "since": r.created_at,
                }
                for r in representations_for(user)
            ],
            "second_factors": [
                {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
                for a in Authenticator.objects.filter(user_id=user.pk).order_by("pk")
            ],
            "linked_identities": [
                {"provider": s.provider, "date_joined": s.date_joined, "last_login": s.last_login}
                for s in SocialAccount.objects.filter(user_id=user.pk).order_by("pk")
            ],
        }
    )
