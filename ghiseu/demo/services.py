"""The demo's portal side: standard procedures, the Lupeni e-services catalogue, the petition
categories routed to the departments that handle them. Each step only creates what is missing."""

from __future__ import annotations

from ghiseu.accounts.models import Department
from ghiseu.eservices.defaults import ensure_demo_services
from ghiseu.eservices.models import Service
from ghiseu.petitions.models import PetitionCategory
from ghiseu.petitions.reference import ensure_reference_data as ensure_petition_categories
from ghiseu.procedures.defaults import ensure_standard_procedures

# Who handles each kind of complaint about the public domain in Lupeni.
CATEGORY_DEPARTMENTS = {
    "roads": "ADP",
    "lighting": "ADP",
    "sanitation": "ADP",
    "green-spaces": "ADP",
    "parking": "PL",
    "noise": "PL",
    "other": "REG",
}


def seed_portal() -> int:
    """Returns how many services the catalogue holds."""
    ensure_standard_procedures()
    ensure_demo_services()
    ensure_petition_categories()
    for code, department_code in CATEGORY_DEPARTMENTS.items():
        department = Department.objects.filter(code=department_code).first()
        if department is not None:
            PetitionCategory.objects.filter(code=code, department__isnull=True).update(department=department)
    return Service.objects.filter(is_published=True).count()
