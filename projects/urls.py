"""Public pages of projects, programmes, organizations and SDGs (under a language prefix)."""

from django.urls import path

from .views import (
    OrganizationDetailView,
    OrganizationListView,
    ProgrammeDetailView,
    ProjectDetailView,
    ProjectListView,
    SDGDetailView,
    SDGListView,
)

project_patterns = [
    path("", ProjectListView.as_view(), name="project-list"),
    path("<slug:slug>/", ProjectDetailView.as_view(), name="project-detail"),
]

programme_patterns = [
    path("<slug:slug>/", ProgrammeDetailView.as_view(), name="programme-detail"),
]

organization_patterns = [
    path("", OrganizationListView.as_view(), name="organization-list"),
    path("<slug:slug>/", OrganizationDetailView.as_view(), name="organization-detail"),
]

sdg_patterns = [
    path("", SDGListView.as_view(), name="sdg-list"),
    path("<int:number>/", SDGDetailView.as_view(), name="sdg-detail"),
]
