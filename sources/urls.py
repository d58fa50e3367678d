"""Public pages of the bibliography (under a language prefix)."""

from django.urls import path

from .views import BibTeXView, CSLJSONView, SourceDetailView, SourceListView

source_patterns = [
    path("", SourceListView.as_view(), name="source-list"),
    path("bibliography.bib", BibTeXView.as_view(), name="source-bibtex"),
    path("bibliography.json", CSLJSONView.as_view(), name="source-csl-json"),
    path("<slug:key>/", SourceDetailView.as_view(), name="source-detail"),
]
