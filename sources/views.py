"""Public browse pages (placeholders until built)."""

from paradiplo.views import PendingPage

SourceListView = PendingPage
BibTeXView = PendingPage
CSLJSONView = PendingPage
SourceDetailView = PendingPage
