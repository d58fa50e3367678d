"""Public browse pages (placeholders until built)."""

from paradiplo.views import PendingPage

NetworkListView = PendingPage
NetworkDetailView = PendingPage
NetworkMembersView = PendingPage
