"""WSGI entry point, used by gunicorn (``make serve``, paradiplo/gunicorn.conf.py). It defaults to
the production settings, so a server started without DJANGO_SETTINGS_MODULE never runs with
DEBUG on; ``manage.py`` (runserver, the tests) keeps the development settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradiplo.settings.production")
application = get_wsgi_application()
