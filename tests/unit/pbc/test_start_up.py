import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# A fresh web process: Django set up, the WSGI application and every URL pattern loaded.
LOAD_THE_WEB_PROCESS = """
import json, sys
from pbc.wsgi import application
from django.urls import get_resolver

def walk(patterns):
    for pattern in patterns:
        walk(getattr(pattern, "url_patterns", []))

walk(get_resolver().url_patterns)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("weasyprint", "pyhanko"))))
"""


def test_the_web_process_starts_without_weasyprint_or_pyhanko():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pbc.settings.test"}

    result = subprocess.run(
        [sys.executable, "-c", LOAD_THE_WEB_PROCESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], "the PDF libraries load with the URLconf: " + ", ".join(loaded[:5])
