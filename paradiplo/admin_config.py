"""django.contrib.admin with Paradiplo's admin site (``core.admin_site.ParadiploAdminSite``: labelled
autocomplete candidates). A module of its own: an ``apps.py`` with two application configs
would make Django ask which one is the project's."""

from django.contrib.admin.apps import AdminConfig


class ParadiploAdminConfig(AdminConfig):
    default_site = "core.admin_site.ParadiploAdminSite"
