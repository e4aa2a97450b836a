"""Settings for a worker whose PDF renders hang, so a test can kill it mid-render."""

from pbc.settings.base import *  # noqa: F403

CELERY_IMPORTS = ["tests.integration.signoff.slow_render"]
