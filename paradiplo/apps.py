from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParadiploConfig(AppConfig):
    name = "paradiplo"
    verbose_name = _("Paradiplo")
