"""Public browse pages (placeholders until built)."""

from paradiplo.views import PendingPage

SummitListView = PendingPage
SummitDetailView = PendingPage
ThematicUnitDetailView = PendingPage
