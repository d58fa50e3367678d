"""Template helpers: translated content with its language, partial dates at their precision."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from paradiplo.partialdates import PartialDate
from paradiplo.records import LANGUAGE_CODES, lang_of

register = template.Library()


@register.simple_tag
def tr(instance, field: str = "name"):
    """A translated field in the active language, falling back as configured. Text shown in
    another language is wrapped in ``<span lang="…">`` so browsers and screen readers know."""
    value = getattr(instance, field, "") or ""
    active = (get_language() or "en").split("-")[0]
    shown = lang_of(instance, field, active)
    if shown and shown != active:
        return format_html('<span lang="{}">{}</span>', shown, value)
    return value


@register.filter
def partial(value):
    """A partial date at its precision: "2003", "May 2003", "11 May 2003"."""
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, int):
        return PartialDate.from_int(value).display()
    return value or ""


@register.simple_tag
def other_names(instance, field: str = "name"):
    """The record's ``field`` in the other languages, when it differs from the one shown:
    "Red de Mercociudades · Rede Mercocidades", each marked with its language."""
    shown = getattr(instance, field, "") or ""
    seen = {shown}
    parts = []
    for code in LANGUAGE_CODES:
        value = getattr(instance, f"{field}_{code}", None)
        if value and value not in seen:
            seen.add(value)
            parts.append(format_html('<span lang="{}">{}</span>', code, value))
    return format_html_join(" · ", "{}", ((part,) for part in parts))


@register.simple_tag(takes_context=True)
def worklists(context):
    """The data-quality worklists for the admin index (see paradiplo/admin_worklists.py)."""
    from paradiplo.admin_worklists import worklists as build

    request = context.get("request")
    return build(request) if request is not None and request.user.is_authenticated else []
