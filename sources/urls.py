"""Public pages of the bibliography (under a language prefix)."""

from django.urls import path

from paradiplo.views import PendingPage

source_patterns = [
    path("", PendingPage.as_view(), name="source-list"),
    path("bibliography.bib", PendingPage.as_view(), name="source-bibtex"),
    path("bibliography.json", PendingPage.as_view(), name="source-csl-json"),
    path("<slug:key>/", PendingPage.as_view(), name="source-detail"),
]
