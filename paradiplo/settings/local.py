"""Development settings: the default of ``manage.py`` and ``make run``. Not for production."""

import os

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
# A fixed, clearly insecure key is fine here: these settings never serve the public.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-local-development-only")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
