# syntax=docker/dockerfile:1
# Provenance service image.
#   build:   a virtualenv in /opt/venv with the exact pins of requirements.lock, then the project itself;
#            WordNet 3.0 (Debian's wordnet-base) laid out as an nltk data folder by scripts/ensure-wordnet.sh.
#   runtime: the same slim base, the virtualenv and the WordNet folder copied in, an unprivileged user,
#            gunicorn as PID 1.
# The base is pinned by tag; pin it by digest too (python:3.11-slim-bookworm@sha256:...) where
# the registry is reachable, and let a bot bump it.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /src

# WordNet for the statement check: Debian's package, as /usr/local/share/nltk_data/corpora/wordnet.
COPY scripts/ensure-wordnet.sh scripts/ensure-wordnet.sh
RUN scripts/ensure-wordnet.sh /usr/local/share/nltk_data \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --no-cache-dir --requirement requirements.lock

COPY pyproject.toml README.md ./
COPY service/ service/
RUN pip install --no-cache-dir --no-deps . \
    && python -m compileall -q /opt/venv/lib


FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="provenance-service" \
      org.opencontainers.image.description="Citation-provenance API: statement checks and article lineage"

ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PROVENANCE_WORDNET_DIR=/usr/local/share/nltk_data \
    PORT=8000

RUN groupadd --system --gid 10001 provenance \
    && useradd --system --uid 10001 --gid provenance --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin provenance

COPY --from=build /opt/venv /opt/venv
COPY --from=build /usr/local/share/nltk_data /usr/local/share/nltk_data

WORKDIR /app
COPY docker/gunicorn.conf.py docker/gunicorn.conf.py

USER 10001:10001

EXPOSE 8000

# Slim images have no curl: probe readiness with the interpreter that is already there.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('PORT', '8000'), timeout=4); sys.exit(0 if r.status == 200 else 1)"]

CMD ["gunicorn", "--config", "docker/gunicorn.conf.py", "service.wsgi:app"]
