"""Production settings: no insecure defaults, and Django's deploy checks pass."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def run_production(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update({"DJANGO_SETTINGS_MODULE": "paradiplo.settings.production", **env})
    return subprocess.run([*MANAGE, *args], env=base, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "paradiplo.example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = run_production("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_passes_the_deploy_checks():
    result = run_production(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k7#Qv!9zP2$wLm4&xR8^tY1@nB6*cF3%hJ5(dG0)sA-eU_iO+pZ=",
        DJANGO_ALLOWED_HOSTS="paradiplo.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_languages_and_fallbacks():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "es", "pt", "fr"]
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES["pt"][:2] == ("es", "en")
