"""Production: PostgreSQL, Redis-backed Celery workers, gunicorn behind TLS, whitenoise."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, _mailer, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value (50 characters or more) "
        "when debug is off; generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
# Rate-limit counters and the unlock emails' once-per-lockout marks are shared by every web
# process: Redis, the broker's server unless PBC_CACHE_URL names another.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("PBC_CACHE_URL", default=CELERY_BROKER_URL),
        "KEY_PREFIX": "pbc",
    }
}

# Production sends real email: EMAIL_URL names the SMTP server (no console fallback).
MAILERS = {"default": _mailer(env.str("EMAIL_URL"), "")}
CELERY_TASK_ALWAYS_EAGER = False

# Signed PDFs are sealed with the deployment's own key and certificate, never the development
# pair: both paths must be given (docs/decisions/0202-pdf-fetcher-and-seal.md).
PDF_SEAL_KEY_PATH = Path(env.str("PDF_SEAL_KEY_PATH"))
PDF_SEAL_CERT_PATH = Path(env.str("PDF_SEAL_CERT_PATH"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
