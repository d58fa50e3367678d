"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-test-only"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Fast hashing: the tests create many users and nothing here protects real passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
