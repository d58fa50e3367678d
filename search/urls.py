"""Search routes, mounted by paradiplo/urls.py: the page under the language prefix
(``/en/search/``), the typeahead endpoint (``/search/suggest/``) and the API
(``/api/v1/search/``) and the reconciliation service (``/api/reconcile/``) without it."""

from django.urls import path

from .api import SearchAPIView
from .views import (
    ReconcilePreviewView,
    ReconcilePropertiesView,
    ReconcileRecordView,
    ReconcileSuggestEntityView,
    ReconcileView,
    search_page,
    suggest,
)

page_patterns = [path("", search_page, name="search")]
suggest_patterns = [path("", suggest, name="search-suggest")]
api_patterns = [path("", SearchAPIView.as_view(), name="api-search")]
reconcile_patterns = [
    path("", ReconcileView.as_view(), name="reconcile"),
    path("suggest/entity/", ReconcileSuggestEntityView.as_view(), name="reconcile-suggest-entity"),
    path("properties/", ReconcilePropertiesView.as_view(), name="reconcile-properties"),
    path("preview/", ReconcilePreviewView.as_view(), name="reconcile-preview"),
    path("view/<path:identifier>", ReconcileRecordView.as_view(), name="reconcile-view"),
]
