import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "pbc.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "DJANGO_ALLOWED_HOSTS": "plans.example.org",
    "PBC_SITE_URL": "https://plans.example.org",
    "DATABASE_URL": "postgres://pbc:pbc@db.example.org:5432/pbc",
    "CELERY_BROKER_URL": "redis://redis.example.org:6379/0",
    "PDF_SEAL_KEY_PATH": "/run/secrets/pdf_seal_key",
    "PDF_SEAL_CERT_PATH": "/run/secrets/pdf_seal_certificate",
}


def run_manage(*args, env_overrides: dict[str, str | None]):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(PRODUCTION_ENV)
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DJANGO_SECRET_KEY": None})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set to a long random value" in result.stderr


def test_production_refuses_the_development_secret_key():
    result = run_manage("check", env_overrides={"DJANGO_SECRET_KEY": "development-only-not-secret"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_seal_paths():
    result = run_manage(
        "check", env_overrides={"PDF_SEAL_KEY_PATH": None, "PDF_SEAL_CERT_PATH": None}
    )

    assert result.returncode != 0
    assert "PDF_SEAL_KEY_PATH" in result.stderr


def test_deploy_check_reports_nothing_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={})

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_warns_when_email_links_would_lead_to_another_host():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"PBC_SITE_URL": None},
    )

    assert result.returncode != 0
    assert "pbc.W001" in result.stderr
    assert "PBC_SITE_URL is 'http://127.0.0.1:8000'" in result.stderr
