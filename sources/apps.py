from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.history import register_history


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Sources")

    def ready(self):
        register_history(self)
