"""Production settings plus the bare comparison page, for `make bench` only (never deployed)."""

from pbc.settings.production import *  # noqa: F403
from pbc.settings.production import BASE_DIR, LOGGING, STORAGES, TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "benchmarks" / "templates"]
# The same hashed static names in the pages as production, without compressing every file
# (a minute of start-up): static files are not what the benchmark measures.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# The editors' conflicts are expected: no log line per 409.
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "django.request": {"level": "ERROR"}}}
