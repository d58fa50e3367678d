"""ASGI entry point. Production servers must set DJANGO_SETTINGS_MODULE explicitly."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradiplo.settings.local")
application = get_asgi_application()
