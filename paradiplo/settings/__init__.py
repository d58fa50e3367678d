"""Settings are split by environment: ``base`` (shared), ``local`` (development, the default of
``manage.py``), ``test`` (pytest) and ``production`` (secrets from the environment, no defaults)."""
