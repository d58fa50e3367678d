from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.history import register_history


class CitiesConfig(AppConfig):
    name = "cities"
    verbose_name = _("Geography and polity")

    def ready(self):
        register_history(self)
