from typing import Any

from django.conf import settings
from django.http import HttpRequest


def institution(request: HttpRequest) -> dict[str, Any]:
    return {"institution": settings.GHISEU_INSTITUTION}
