"""Rendering a template version with a context, and the checks a context must pass first.

Templates come from the database, so they are compiled by an engine of their own that knows
only Django's built-in tags and filters (no `{% load %}` of other libraries, no file loaders).
HTML is rendered with autoescaping on, text and subject with it off.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template import Context, Engine, Template
from django.utils import translation
from django.utils.translation import gettext as _
from stdnum.ro import cnp as stdnum_cnp

from ghiseu.core.errors import DomainError

SUBJECT_MAX_LENGTH = 300
_FORBIDDEN_KEY = re.compile(r"^(cnp|.*_cnp|cnp_.*)$", re.IGNORECASE)
_THIRTEEN_DIGITS = re.compile(r"(?<!\d)\d{13}(?!\d)")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@cache
def _engine() -> Engine:
    return Engine(autoescape=True, string_if_invalid="", libraries={}, loaders=[])


def compile_source(source: str) -> Template:
    """Compile a template's source; raises django.template.TemplateSyntaxError when it is broken."""
    return _engine().from_string(source)


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def render_parts(
    *, subject: str, body_text: str, body_html: str, context: Mapping[str, Any], language: str
) -> Rendered:
    """Render the three parts of a template in `language` (dates and numbers are localized in it)."""
    with translation.override(language):
        rendered_subject = compile_source(subject).render(Context(dict(context), autoescape=False))
        text = compile_source(body_text).render(Context(dict(context), autoescape=False))
        html = compile_source(body_html).render(Context(dict(context), autoescape=True)) if body_html.strip() else ""
    # A subject is one header line: no line breaks (they would also be a header injection).
    one_line = " ".join(rendered_subject.split())
    if len(one_line) > SUBJECT_MAX_LENGTH:
        one_line = one_line[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return Rendered(subject=one_line, text=_tidy_text(text), html=html.strip())


def _walk(value: Any, path: str) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _FORBIDDEN_KEY.match(str(key).strip()):
                raise DomainError(
                    _("Contextul unei notificări nu poate conține un CNP (cheia „%(key)s”).") % {"key": f"{path}{key}"},
                    code="cnp_in_context",
                )
            _walk(item, f"{path}{key}.")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            _walk(item, f"{path}{index}.")
    elif isinstance(value, str):
        for candidate in _THIRTEEN_DIGITS.findall(value):
            if stdnum_cnp.is_valid(candidate):
                raise DomainError(
                    _("Contextul unei notificări nu poate conține un CNP (valoarea „%(key)s”).")
                    % {"key": path.rstrip(".") or "?"},
                    code="cnp_in_context",
                )


def check_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse a context that carries a CNP; return the JSON form stored beside the notification.

    A key named `cnp` (or `…_cnp`, `cnp_…`), at any depth, is refused, and so is a value holding
    a valid CNP: a notification is kept for years and shown to staff, a CNP has no place in it.
    """
    if not isinstance(context, Mapping):
        raise TypeError("a notification context is a mapping")
    _walk(context, "")
    try:
        stored: dict[str, Any] = json.loads(json.dumps(context, cls=DjangoJSONEncoder, ensure_ascii=False))
    except TypeError as exc:
        raise TypeError(f"a notification context must be JSON-serializable: {exc}") from exc
    return stored
