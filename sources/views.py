"""Public pages of the bibliography: the list of sources (with CSV, BibTeX and CSL-JSON
downloads of the filtered list) and one source's page (its reference, its exports and the
records that cite it). Reads live in :mod:`sources.selectors`, renderings in
:mod:`sources.bibliography`."""

from __future__ import annotations

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views import View

from core import jsonld, licence
from core.browse import BrowseListView, Column, RecordDetailView, filter_query, language_name

from . import bibliography, selectors
from .filters import SourceFilter
from .models import Source

BIBTEX_CONTENT_TYPE = "application/x-bibtex; charset=utf-8"
CSL_JSON_CONTENT_TYPE = "application/vnd.citationstyles.csl+json; charset=utf-8"
EXPORT_CHUNK_SIZE = 2000


def _authors_text(source) -> str:
    return "; ".join(
        author.literal or ", ".join(part for part in (author.family, author.given) if part)
        for author in bibliography.parse_authors(source.authors)
    )


class SourceListView(BrowseListView):
    """``/xx/sources/``: every source facts are taken from, filtered, with downloads."""

    model = Source
    filterset_class = SourceFilter
    context_object_name = "sources"
    page_title = _("Bibliography")
    csv_filename = "sources"
    columns = [
        Column(_("Reference"), cell="sources/cells/reference.html", row_header=True),
        Column(csv_header=_("key"), value="key"),
        Column(_("Kind"), _("kind"), "kind", cell=lambda source: capfirst(source.get_kind_display())),
        Column(csv_header=_("title"), value="title"),
        Column(csv_header=_("title supplied"), value="title_supplied"),
        Column(csv_header=_("authors"), value=_authors_text),
        Column(csv_header=_("publisher"), value="publisher"),
        Column(_("Published"), _("published"), "published", cell="published.display"),
        Column(csv_header=_("URL"), value="url"),
        Column(csv_header=_("archived copy"), value="archived_url"),
        Column(csv_header=_("DOI"), value="doi"),
        Column(csv_header=_("accessed"), value="accessed"),
        Column(
            _("Language"),
            _("language"),
            "language",
            cell=lambda source: language_name(source.language) if source.language else "",
        ),
        Column(csv_header=_("licence"), value="licence"),
        Column(
            _("Records citing it"),
            _("records citing it"),
            "citation_count",
            numeric=True,
        ),
    ]

    def get_queryset(self):
        return selectors.source_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_query"] = filter_query(self.request)
        return context


class BibliographyExportView(View):
    """The filtered bibliography as one file, sorted by key (the list's filters apply). With an
    invalid filter value it answers 400 with the bibliography page showing the errors, never
    sources the researcher did not ask for (as the list's CSV download does)."""

    content_type = ""
    filename = ""

    def render(self, sources):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        filterset = SourceFilter(request.GET or None, queryset=selectors.source_export_rows(), request=request)
        if filterset.is_bound and not filterset.is_valid():
            response = SourceListView.as_view()(request)
            response.status_code = 400
            return response
        sources = filterset.qs.order_by("key").iterator(chunk_size=EXPORT_CHUNK_SIZE)
        response = StreamingHttpResponse(self.render(sources), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        response["Link"] = licence.link_header()
        return response


class BibTeXView(BibliographyExportView):
    """``/xx/sources/bibliography.bib``: BibTeX (biblatex) entries keyed by the sources' keys."""

    content_type = BIBTEX_CONTENT_TYPE
    filename = "paradiplo-bibliography.bib"

    def render(self, sources):
        for number, source in enumerate(sources):
            yield ("\n" if number else "") + bibliography.bibtex_entry(source)


class CSLJSONView(BibliographyExportView):
    """``/xx/sources/bibliography.json``: a CSL-JSON array (Zotero, Pandoc, citeproc)."""

    content_type = CSL_JSON_CONTENT_TYPE
    filename = "paradiplo-bibliography.json"

    def render(self, sources):
        yield "["
        for number, source in enumerate(sources):
            item = json.dumps(bibliography.csl_item(source), ensure_ascii=False, indent=2)
            yield ("," if number else "") + "\n  " + item.replace("\n", "\n  ")
        yield "\n]\n"


class SourceDetailView(RecordDetailView):
    """``/xx/sources/<key>/``: one source's full reference, its BibTeX and CSL-JSON, and every
    record that cites it. ``?format=bibtex`` and ``?format=csl-json`` download the reference."""

    template_name = "sources/source_detail.html"
    context_object_name = "source"

    lookup = {"key": "key"}
    not_found = _("No source found with this key.")

    def get_queryset(self):
        return selectors.source_detail_queryset()

    def get(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in ("bibtex", "csl-json"):
            source = self.get_object(Source.objects.all())  # the exports need no citation counts
            if export == "bibtex":
                body, content_type, extension = bibliography.bibtex_entry(source), BIBTEX_CONTENT_TYPE, "bib"
            else:
                body, content_type, extension = bibliography.csl_json([source]), CSL_JSON_CONTENT_TYPE, "json"
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{source.key}.{extension}"'
            response["Link"] = licence.link_header()
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        groups = selectors.citing_groups(source)
        authors = bibliography.parse_authors(source.authors)
        context.update(
            page_title=source.title,
            authors=authors,
            authors_text=source.authors.strip().rstrip("."),
            language_name=language_name(source.language) if source.language else "",
            bibtex=bibliography.bibtex_entry(source),
            csl_json=bibliography.csl_json([source]),
            groups=groups,
            citing_total=sum(group.total for group in groups),
            structured_data=jsonld.creative_work_data(
                source,
                self.request.build_absolute_uri(source.get_absolute_url()),
                schema_type=bibliography.SCHEMA_TYPES.get(source.kind, "CreativeWork"),
                authors=authors,
            ),
        )
        return context
