"""ASGI entry point. Like paradiplo/wsgi.py it defaults to the production settings; ``manage.py``
keeps the development settings."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradiplo.settings.production")
application = get_asgi_application()
