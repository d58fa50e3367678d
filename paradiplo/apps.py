from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParadiploConfig(AppConfig):
    name = "paradiplo"
    verbose_name = _("Paradiplo")

    def ready(self):
        from .api import schema  # noqa: F401 - registers the OpenAPI extensions
