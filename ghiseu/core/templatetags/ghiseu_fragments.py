"""`{% render_once "template.html" key1 key2 %}`: include a template rendered once per process for
the active language and the given keys (see ghiseu.core.fragments for what such a template may use)."""

from __future__ import annotations

from collections.abc import Hashable

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from ghiseu.core import fragments

register = template.Library()


@register.simple_tag(takes_context=True)
def render_once(context: Context, template_name: str, *keys: Hashable) -> SafeString:
    engine = context.template.engine if context.template is not None else template.engine.Engine.get_default()
    fragment = engine.get_template(template_name)

    def render() -> str:
        return str(fragment.render(context))

    return mark_safe(fragments.render_once(template_name, keys, render, keep=not engine.debug))  # noqa: S308 (our templates)
