"""Template helpers: translated content with its language, record links, partial dates and
periods at their precision, list tables, references and structured data."""

import json
import re

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import _json_script_escapes, conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from core.partialdates import PartialDate
from core.periods import describe_period
from core.provenance import References, cite_page
from core.records import LANGUAGE_CODES, lang_of

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


@register.simple_tag
def record_name(record, field: str = "name"):
    """The record's translated name (as ``tr``); a record without a name of its own (a summit)
    gives its ``label`` ("Summit no. 20")."""
    return tr(record, field) or getattr(record, "label", "") or str(record)


@register.simple_tag
def record_link(record, field: str = "name", year: bool = False):
    """A link to the record's page with its name (``record_name``). ``year=True`` adds the
    record's ``year``: "Summit no. 20 (2015)"."""
    text = record_name(record, field)
    if year and getattr(record, "year", None):
        text = format_html("{} ({})", text, record.year)
    return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)


def names_acronym(name: str, acronym: str) -> bool:
    """Whether ``name`` already holds ``acronym`` as a word of its own ("Middle East and West
    Asia (UCLG-MEWA)", "C40 Cities Climate Leadership Group"): then it is not written again."""
    if not acronym or not name:
        return False
    return re.search(r"(?<!\w)" + re.escape(acronym) + r"(?!\w)", name) is not None


@register.simple_tag
def acronym(record, field: str = "name"):
    """ " (UCLG)": the record's acronym in brackets, to follow its name; nothing when it has none
    or when the name shown (``field`` in the active language) already says it. Every page writes
    an acronym after a name this way, so it is never printed twice."""
    value = getattr(record, "acronym", "") or ""
    name = str(getattr(record, field, "") or "")
    if not value or names_acronym(name, value):
        return ""
    return format_html(" ({})", value)


@register.filter(is_safe=True)
def partial_time(value):
    """A partial date at its precision in a ``<time>`` element: ``<time datetime="2003-05">May
    2003</time>``; "" without one."""
    if not isinstance(value, PartialDate):
        return partial(value)
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), value.display())


@register.simple_tag
def period(record):
    """When a record was in force, the one wording of every page (see
    :func:`core.periods.describe_period`): "<time>1995</time> – <time>2003</time>", "since
    2003", "until 2010", "dates not recorded". A summit (``is_event``) is dated, not "since";
    a project without dates shows its planned ones."""
    start, end = record.start, record.end
    planned = getattr(record, "planned_start", None), getattr(record, "planned_end", None)
    if not (start or end) and any(planned):
        return format_html("{} {} – {}", _("planned:"), partial(planned[0]) or "?", partial(planned[1]) or "?")
    event = getattr(record, "is_event", False)
    return mark_safe(describe_period(start, end, event=event, date=partial_time, escape=conditional_escape))  # noqa: S308 (escaped)


@register.simple_tag(takes_context=True)
def table_cell(context, column, row):
    """One cell of a list's table (see :class:`core.browse.Column`): the row's ``<th>`` or a
    ``<td>`` (labelled with the column's heading in ``data-label`` when ``stacked``), with the column's template
    rendered in the page's context, else what it shows for the row, else "—"."""
    if column.template_name:
        with context.push(row=row):
            content = context.template.engine.get_template(column.template_name).render(context)
    else:
        value = column.shown(row)
        content = "—" if value is None or value == "" else conditional_escape(value)
    if column.row_header:
        return format_html('<th scope="row">{}</th>', content)
    # In a table stacked on a phone (``stacked`` in the context), each cell is shown after its
    # column's heading, which it carries in data-label.
    label = format_html(' data-label="{}"', column.heading) if context.get("stacked") else ""
    if column.cell_class:
        return format_html('<td class="{}"{}>{}</td>', column.cell_class, label, content)
    return format_html("<td{}>{}</td>", label, content)


@register.filter(is_safe=True)
def description_meta(description):
    """The page's description as its two meta tags, ``description`` and ``og:description``, so a
    template writes it once (``{% filter description_meta %}…{% endfilter %}``)."""
    text = conditional_escape(description)
    return format_html(
        '<meta name="description" content="{0}">\n  <meta property="og:description" content="{0}">', text
    )


@register.filter
def partial(value):
    """A partial date at its precision: "2003", "May 2003", "11 May 2003"."""
    if isinstance(value, PartialDate):
        return value.display()
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return PartialDate.from_int(value).display()
        except (TypeError, ValueError):
            return ""
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
def cite(context, *records):
    """Numbered reference marks for the sources of ``records`` ("[1][3]"), each linked to the
    page's reference list; ``{% references %}`` lists them at the end of the page."""
    references = context.get("references")
    if references is None:  # a template rendered without the site context processor
        references = context["references"] = References()
    numbers = []
    for record in records:
        for reference in references.cite_record(record):
            if reference.number not in numbers:
                numbers.append(reference.number)
    if not numbers:
        return ""
    marks = format_html_join(
        "", '<a href="#ref-{0}" aria-label="{1} {0}">[{0}]</a>', ((n, _("Source")) for n in sorted(numbers))
    )
    return format_html('<sup class="cite">{}</sup>', marks)


@register.inclusion_tag("includes/references.html", takes_context=True)
def references(context, heading=None):
    """The page's numbered list of sources (what ``{% cite %}`` marked so far)."""
    return {"references": list(context.get("references") or []), "heading": heading}


@register.inclusion_tag("includes/cite_page.html", takes_context=True)
def cite_this_page(context, title, updated=None):
    """A "cite this page" block: permalink, APA-style text and BibTeX with today's date."""
    request = context["request"]
    # The permalink keeps the filters that make the page what it is, not tracking parameters.
    query = request.GET.copy()
    for name in [name for name in query if name.startswith("utm_") or name in ("fbclid", "gclid", "format")]:
        del query[name]
    path = request.path + ("?" + query.urlencode() if query else "")
    return {"citation": cite_page(str(title), request.build_absolute_uri(path), request.path, updated)}


@register.simple_tag
def json_ld(data):
    """``<script type="application/ld+json">`` with ``data`` safely escaped for HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The current page in every language: [{code, name, url, current}] (for the switcher and
    the hreflang links). Slugs and codes are the same in every language."""
    request = context.get("request")
    full_path = request.get_full_path() if request else "/"
    path = request.path if request else "/"
    active = (get_language() or "en").split("-")[0]
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            # The switcher keeps the filters; hreflang links name the page itself (as canonical).
            "url": translate_url(full_path, code),
            "path": translate_url(path, code),
            "locale": OG_LOCALES.get(code, code),
            "current": code == active,
        }
        for code, _name in settings.LANGUAGES
    ]


#: Open Graph wants a language_TERRITORY locale.
OG_LOCALES = {"en": "en_GB", "es": "es_ES", "pt": "pt_BR", "fr": "fr_FR"}
