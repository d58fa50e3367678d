"""Search routes, mounted by paradiplo/urls.py: the page under the language prefix
(``/en/search/``), the typeahead endpoint (``/search/suggest/``) and the API
(``/api/v1/search/``) without it."""

from django.urls import path

from .api import SearchAPIView
from .views import search_page, suggest

page_patterns = [path("", search_page, name="search")]
suggest_patterns = [path("", suggest, name="search-suggest")]
api_patterns = [path("", SearchAPIView.as_view(), name="api-search")]
