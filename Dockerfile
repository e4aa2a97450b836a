# One image for the web process (gunicorn) and the Celery workers.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=pbc.settings.production

# weasyprint's libraries and the fonts the PDFs use (Liberation Sans stands in for Arial);
# pg_dump and pg_restore for `manage.py backup` and `restore` (bookworm's 15, as compose's db).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-liberation postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock ./
# Libraries compiled once at build time: with PYTHONDONTWRITEBYTECODE each gunicorn and Celery
# process would otherwise compile Django, Celery and WeasyPrint as it starts (decision 0470).
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only-$(date +%s)-not-used-at-run-time-xxxxxxxxxxxxxxxxxxxx \
    DATABASE_URL=sqlite:////tmp/unused.sqlite3 CELERY_BROKER_URL=memory:// \
    PDF_SEAL_KEY_PATH=unused PDF_SEAL_CERT_PATH=unused \
    python manage.py collectstatic --no-input

RUN useradd --create-home --uid 1000 pbc && mkdir -p /app/media && chown pbc /app/media
USER pbc
EXPOSE 8000
