"""The organization: departments (compartimente), users with roles, the archival nomenclator.

The nomenclator lives here, beside the departments that keep its files, because the
registry (below the archive in the dependency order) files every entry under one of its
codes (docs/adr/0002-nomenclator-in-accounts.md).
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.CharField(_("cod"), max_length=20, unique=True)
    name = models.CharField(_("denumire"), max_length=200)
    parent = models.ForeignKey(
        "self", verbose_name=_("subordonat"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("activ"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("compartiment")
        verbose_name_plural = _("compartimente")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CITIZEN = "citizen", _("cetățean")
    CLERK = "clerk", _("registratură")
    OFFICER = "officer", _("funcționar")
    HEAD = "head", _("șef de compartiment")
    SECRETARY = "secretary", _("secretar general")
    MAYOR = "mayor", _("primar")
    ARCHIVIST = "archivist", _("arhivar")
    ADMIN = "admin", _("administrator")


STAFF_ROLES = frozenset(Role) - {Role.CITIZEN}


class User(AbstractUser):
    """Staff and citizens alike. A staff member belongs to one department and holds one role."""

    email = models.EmailField(_("e-mail"), blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    department = models.ForeignKey(
        Department,
        verbose_name=_("compartiment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    job_title = models.CharField(_("funcție"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("utilizator")
        verbose_name_plural = _("utilizatori")

    @property
    def is_staff_member(self) -> bool:
        return self.is_active and self.role in STAFF_ROLES

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class NomenclatorEntry(models.Model):
    """A kind of file a department keeps (nomenclator arhivistic), with its retention period."""

    code = models.CharField(_("indicativ"), max_length=30, unique=True, help_text=_("De exemplu III/B/4."))
    name = models.CharField(_("denumire"), max_length=300)
    department = models.ForeignKey(
        Department, verbose_name=_("compartiment"), on_delete=models.PROTECT, related_name="nomenclator"
    )
    retention_years = models.PositiveSmallIntegerField(
        _("termen de păstrare (ani)"), null=True, blank=True, help_text=_("Gol înseamnă permanent.")
    )
    legal_basis = models.CharField(_("temei"), max_length=200, blank=True)
    is_active = models.BooleanField(_("activ"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("poziție din nomenclator")
        verbose_name_plural = _("nomenclatorul arhivistic")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def retention_label(self) -> str:
        if self.retention_years is None:
            return str(_("permanent"))
        return str(_("%(years)d ani") % {"years": self.retention_years})


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class ApiToken(models.Model):
    """A bearer token for the city hall's other systems; it acts with its user's permissions."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="api_token")
    key = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("tokenuri API")

    def __str__(self) -> str:
        return f"{self.user} ({self.key[:6]}…)"


class CitizenProfile(models.Model):
    """What a citizen tells the city hall about themselves (the name is on the user, the e-mail
    addresses are allauth's). The CNP is optional, stored here once (one account per CNP), and
    shown only masked."""

    user = models.OneToOneField(User, verbose_name=_("cont"), on_delete=models.CASCADE, related_name="profile")
    address = models.CharField(_("adresă de domiciliu"), max_length=300, blank=True)
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    cnp = models.CharField(_("CNP"), max_length=13, null=True, blank=True, unique=True, editable=False)
    updated_at = models.DateTimeField(_("modificat la"), auto_now=True)

    class Meta:
        verbose_name = _("profil de cetățean")
        verbose_name_plural = _("profiluri de cetățeni")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def cnp_masked(self) -> str:
        from ghiseu.accounts.identifiers import mask_cnp

        return mask_cnp(self.cnp)


class Company(models.Model):
    """A legal person (firmă, asociație) identified by its CUI; it acts through its representatives."""

    cui = models.CharField(_("CUI"), max_length=10, unique=True, help_text=_("Fără prefixul RO."))
    name = models.CharField(_("denumire"), max_length=200)
    trade_register_number = models.CharField(_("nr. de ordine în Registrul Comerțului"), max_length=40, blank=True)
    address = models.CharField(_("sediu"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("adăugată la"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("persoană juridică")
        verbose_name_plural = _("persoane juridice")

    def __str__(self) -> str:
        return f"{self.name} (CUI {self.cui})"


class CompanyRepresentative(models.Model):
    """A citizen who acts for a company (administrator, împuternicit); one citizen may represent several."""

    company = models.ForeignKey(
        Company, verbose_name=_("persoană juridică"), on_delete=models.PROTECT, related_name="representatives"
    )
    user = models.ForeignKey(
        User, verbose_name=_("reprezentant"), on_delete=models.CASCADE, related_name="company_representations"
    )
    capacity = models.CharField(_("calitatea"), max_length=100, help_text=_("De exemplu: administrator, împuternicit."))
    created_at = models.DateTimeField(_("adăugat la"), auto_now_add=True)

    class Meta:
        ordering = ["company__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="one_representation_per_company")]
        verbose_name = _("reprezentant al unei persoane juridice")
        verbose_name_plural = _("reprezentanți ai persoanelor juridice")

    def __str__(self) -> str:
        return f"{self.user} — {self.company}"
