"""Settings for the test suite (pytest-django)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-test-only"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Fast hashing: the tests create many users and nothing here protects real passwords.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each test run has its own cache, whatever REDIS_URL says: tests clear it (tests/conftest.py)
# and must never clear or read a shared Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": "paradiplo-test"}}
# A read-replica alias mirroring the test database, as DATABASE_REPLICA_URL makes one, for the
# tests that route through it (tests/test_db_routers.py). No router is installed here, so every
# other test reads and writes the primary.
DATABASES.setdefault("replica1", {**DATABASES["default"], "TEST": {"MIRROR": "default"}})  # noqa: F405
# The page, download and suggestion rate limits are off: the suite makes many requests from one
# address. Their tests turn them on (tests/test_abuse_throttles.py).
PARADIPLO_THROTTLE_RATES = {scope: None for scope in PARADIPLO_THROTTLE_RATES}  # noqa: F405
# No dataset release unless a test writes one (tests/test_dataset.py points this at its own
# directory): a release in the developer's var/dataset/ must not change what the pages show.
PARADIPLO_DATASET_DIR = BASE_DIR / "tests" / "no-dataset"  # noqa: F405
