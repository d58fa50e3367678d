"""Public pages of projects, programmes, organizations and SDGs (under a language prefix)."""

from django.urls import path

from paradiplo.views import PendingPage

project_patterns = [
    path("", PendingPage.as_view(), name="project-list"),
    path("<slug:slug>/", PendingPage.as_view(), name="project-detail"),
]

programme_patterns = [
    path("<slug:slug>/", PendingPage.as_view(), name="programme-detail"),
]

organization_patterns = [
    path("", PendingPage.as_view(), name="organization-list"),
    path("<slug:slug>/", PendingPage.as_view(), name="organization-detail"),
]

sdg_patterns = [
    path("", PendingPage.as_view(), name="sdg-list"),
    path("<int:number>/", PendingPage.as_view(), name="sdg-detail"),
]
