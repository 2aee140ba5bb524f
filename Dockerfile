# The desk's one image: gunicorn by default; docker-compose.yml runs Celery and migrations from it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/app/var \
    WEB_CONCURRENCY=3

WORKDIR /app

# Requirements before the code, so a code change does not reinstall them. torch==2.13.0 from the
# package index is its CUDA build (several GB); to install its CPU build instead, pass the index
# that serves it: docker build --build-arg PIP_EXTRA_INDEX_URL=<that index> .
ARG PIP_EXTRA_INDEX_URL=
COPY requirements.txt .
RUN PIP_EXTRA_INDEX_URL="$PIP_EXTRA_INDEX_URL" pip install -r requirements.txt

RUN useradd --system --create-home --uid 10001 --user-group desk

COPY . .

# Static files are collected into the image; whitenoise serves them. Production settings refuse
# to import without real-looking values, so the build passes throwaway ones that go no further
# than this RUN line: they are not ENV, and the running container gets its own from compose.
ARG BUILD_SECRET_KEY=collectstatic-only-throwaway-key-never-used-at-runtime-0123456789
RUN SECRET_KEY="$BUILD_SECRET_KEY" \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid/build \
    python manage.py collectstatic --no-input \
 && mkdir -p "$VAR_DIR" \
 && chown -R desk:desk "$VAR_DIR"

USER desk

EXPOSE 8000

# gunicorn reads its worker count from WEB_CONCURRENCY.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60"]
