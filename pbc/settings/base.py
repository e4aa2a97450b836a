"""Settings shared by every deployment, read from the environment.

With no environment at all this is the embedded default: SQLite, Celery tasks run eagerly in
the web process, email printed to the console, media on local disk. Production sets the
variables documented in README.md and uses ``pbc.settings.production``.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Marks the key used by the embedded default so production can refuse it by name.
DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The commissioner's title: the seeds say "PCT"; today's equivalent is the ICB.
COMMISSIONER_WORD = env.str("PBC_COMMISSIONER_WORD", default="PCT")
SERVICE_NAME = "PBC Plans"
# Where the service is reached, for the links in emails (no trailing slash). Unset, it is this
# machine's own address: fine for a link followed here, never printed where it lasts (the PDF).
SITE_URL_GIVEN = bool(env.str("PBC_SITE_URL", default=""))
SITE_URL = env.str("PBC_SITE_URL", default="") or "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "django_prose_editor",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "pbc",
    "consortia",
    "plans",
    "signoff",
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First, so everything after it (the lockout, rate limits, the signature record) sees the
    # client's own address rather than the proxy's.
    "pbc.security.client_address.TrustedProxyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pbc.security.signed_out.SignedOutMiddleware",
    # Before anything reads a request body (the CSRF check reads it after every middleware has
    # been called): too large is refused unread, then text that no database can store is
    # refused before any view sees it.
    "pbc.security.uploads.RequestSizeMiddleware",
    "pbc.security.text_boundary.UnstorableTextMiddleware",
    "pbc.security.rate_limits.RateLimitMiddleware",
    "pbc.security.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pbc.urls"
WSGI_APPLICATION = "pbc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pbc.context_processors.service",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "consortia.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A working day on a shared practice PC: sessions end after 8 hours or when the browser closes.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_SECONDS", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "pbc.security.signed_out.csrf_failure"
# A save posts every input of its answer: a table at its 200 rows posts 200 for each column, a
# full outcome framework (50 areas of 50 outcomes) about 10,300, a page of projects three for
# each of up to 5,000 targets. Django's 1,000 refused a table of six columns long before its
# row limit; what bounds a request is its size (pbc/security/uploads.py and Django's 2.5 MB).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 25_000

AXES_FAILURE_LIMIT = env.int("PBC_SIGN_IN_ATTEMPTS", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("PBC_LOCKOUT_MINUTES", default=30))
# Per account and address: a whole practice shares one address, so the address alone would
# lock out colleagues, and the account alone would let anyone lock a user out from anywhere
# (docs/decisions/0341-lockout-keyed-on-account-and-client-address.md).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "pbc.auth.axes_username"
AXES_CLIENT_IP_CALLABLE = "pbc.security.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_SENSITIVE_PARAMETERS = ["password", "code"]
# Behind a TLS proxy every request comes from the proxy. The client's address is read from the
# header the proxies add, counting this many trusted proxies from the right; 0 (direct, the
# default) ignores the header, which a client could otherwise forge.
PBC_TRUSTED_PROXY_COUNT = env.int("PBC_TRUSTED_PROXY_COUNT", default=0)
PBC_TRUSTED_PROXY_HEADER = env.str("PBC_TRUSTED_PROXY_HEADER", default="X-Forwarded-For")
# A locked-out user is emailed a link that unlocks their account; it works once, for this long.
PBC_UNLOCK_LINK_MINUTES = env.int("PBC_UNLOCK_LINK_MINUTES", default=60)

# Two-factor authentication (docs/decisions/0340-two-factor-for-signatories.md): an authenticator
# app (TOTP), recovery codes, or a passkey; required for the roles that sign, approve or
# administer, offered to editors.
OTP_TOTP_ISSUER = SERVICE_NAME
OTP_WEBAUTHN_RP_NAME = SERVICE_NAME
# Passkeys belong to the service's host name (browsers refuse an IP address: on your machine,
# open http://localhost:8000 to add one).
_site = urlsplit(SITE_URL)
OTP_WEBAUTHN_RP_ID = "localhost" if _site.hostname == "127.0.0.1" else _site.hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = (
    [f"https://{_site.netloc}"]
    if _site.scheme == "https"
    else [f"http://localhost:{_site.port or 80}"]
)
# A passkey is a second factor here, never a way in on its own.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# The admin never shows an authenticator app's key, its QR code or a device's recovery codes:
# whoever read them could give that person's code (docs/decisions/0508).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Requests per client address (per user for comments) in a window; over it, a 429 page
# (docs/decisions/0342-rate-limits.md). The counters live in the cache, Redis in production.
PBC_RATE_LIMITS = {
    "sign_in": env.str("PBC_RATE_SIGN_IN", default="30/10m"),
    "password_reset": env.str("PBC_RATE_PASSWORD_RESET", default="10/h"),
    "verify": env.str("PBC_RATE_VERIFY", default="20/10m"),
    "comment": env.str("PBC_RATE_COMMENT", default="60/10m"),
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# How every page, email and PDF writes dates and times ("3 July 2007 at 14:02"): pbc/formats.
# Code asks for them by name (date_format(value, "DATETIME_FORMAT"), |date:"DATE_FORMAT").
FORMAT_MODULE_PATH = ["pbc.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# The key and certificate that seal signed PDFs (PAdES, signoff/seal.py). The embedded default
# keeps a development pair under var/seal/ (`manage.py make_seal_certificate` creates it);
# production names the deployment's own files and refuses to start without them.
PDF_SEAL_KEY_PATH = Path(env.str("PDF_SEAL_KEY_PATH", default=str(BASE_DIR / "var/seal/key.pem")))
PDF_SEAL_CERT_PATH = Path(
    env.str("PDF_SEAL_CERT_PATH", default=str(BASE_DIR / "var/seal/certificate.pem"))
)
PDF_SEAL_KEY_PASSPHRASE = env.str("PDF_SEAL_KEY_PASSPHRASE", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _mailer(url: str, file_path: str) -> dict:
    """MAILERS["default"] from EMAIL_URL (SMTP or console) or a folder to write emails into."""
    if file_path:
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": file_path},
        }
    config = env.email_url_config(url)
    if config["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
        return {
            "BACKEND": config["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": config.get("EMAIL_HOST"),
                "port": config.get("EMAIL_PORT"),
                "username": config.get("EMAIL_HOST_USER"),
                "password": config.get("EMAIL_HOST_PASSWORD"),
                "use_tls": config.get("EMAIL_USE_TLS", False),
                "use_ssl": config.get("EMAIL_USE_SSL", False),
                "timeout": 30,
            },
        }
    return {"BACKEND": config["EMAIL_BACKEND"]}


# Email goes out through Django's mailers; the default prints each message to the console.
MAILERS = {
    "default": _mailer(
        env.str("EMAIL_URL", default="consolemail://"),
        env.str("DJANGO_EMAIL_FILE_PATH", default=""),
    )
}
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="PBC Plans <noreply@example.org>")

# Celery: eager in the embedded default, a Redis broker and separate workers in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat reads crontab schedules in UK time (the digest goes at 07:00 all year); message times,
# and the times the tasks record, stay UTC.
CELERY_TIMEZONE = "Europe/London"
# Redis hands a task nobody acknowledged (its worker died) to another worker after this long:
# longer than any task runs. Tests lower it to see a killed worker's render recovered.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("PBC_BROKER_VISIBILITY_SECONDS", default=60 * 60),
}
# Run by `celery -A pbc beat` (one instance); each entry names its task.
CELERY_BEAT_SCHEDULE = {
    "sweep-documents": {
        "task": "signoff.tasks.sweep_documents",
        "schedule": timedelta(minutes=5),
    },
    "daily-digests": {
        "task": "signoff.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "round-reminders": {
        "task": "plans.tasks.send_round_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}
# PDF rendering (signoff/rendering.py): a render is stopped after PDF_RENDER_TIME_LIMIT seconds; one
# still "rendering" after PDF_RENDER_STALE_SECONDS lost its worker and is rendered again; one
# still queued after PDF_QUEUED_RESEND_SECONDS lost its message and is sent again.
PDF_RENDER_TIME_LIMIT = env.int("PBC_PDF_RENDER_TIME_LIMIT", default=5 * 60)
PDF_RENDER_STALE_SECONDS = env.int("PBC_PDF_RENDER_STALE_SECONDS", default=10 * 60)
PDF_QUEUED_RESEND_SECONDS = env.int("PBC_PDF_QUEUED_RESEND_SECONDS", default=10 * 60)

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The hash admits the one style element the rich-text editor (Tiptap) injects.
    "style-src": [CSP.SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # weasyprint logs every page it lays out; its warnings (a refused fetch) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Widgets get the design system's classes; the nhsuk template pack adds error modifiers.
CRISPY_CLASS_CONVERTERS = {
    "textinput": "nhsuk-input",
    "emailinput": "nhsuk-input",
    "passwordinput": "nhsuk-input",
    "numberinput": "nhsuk-input",
    "urlinput": "nhsuk-input",
    "dateinput": "nhsuk-input",
    "datetimeinput": "nhsuk-input",
    "textarea": "nhsuk-textarea",
    "select": "nhsuk-select",
    "checkboxinput": "nhsuk-checkboxes__input",
    "fileinput": "nhsuk-file-upload",
    "clearablefileinput": "nhsuk-file-upload",
}

# Single sign-on by OpenID Connect (docs/decisions/0343-optional-oidc-sign-in.md): on only when
# the identity provider's client ID is given. Users are matched by email and never created.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.insert(1, "pbc.oidc.MatchByEmailBackend")
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your organisation's account")
