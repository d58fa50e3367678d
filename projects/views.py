"""Public browse pages (placeholders until built)."""

from paradiplo.views import PendingPage

ProjectListView = PendingPage
ProjectDetailView = PendingPage
ProgrammeDetailView = PendingPage
OrganizationListView = PendingPage
OrganizationDetailView = PendingPage
SDGListView = PendingPage
SDGDetailView = PendingPage
