"""Row locks of the eservices app, taken in one place: the request row, always first."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ghiseu.core.errors import NotFound
from ghiseu.eservices.models import ServiceRequest


def lock_request(request_id: int, *, applicant: Any = None) -> ServiceRequest:
    """The request locked for update (inside a transaction); someone else's is "not found"."""
    qs = ServiceRequest.objects.select_for_update().filter(pk=request_id)
    if applicant is not None:
        qs = qs.filter(applicant_id=applicant.pk)
    found = qs.first()
    if found is None:
        raise NotFound(_("Cererea nu există."))
    return found
