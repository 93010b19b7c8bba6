# newskg: the `kg` CLI and SPARQL endpoint, installed from the pinned lock (hashes checked).
FROM python:3.11-slim

WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONUNBUFFERED=1 KG_STORE=/app/data/store

COPY requirements.lock ./
RUN python -m pip install --require-hashes --no-deps -r requirements.lock

COPY pyproject.toml README.md ./
COPY kg ./kg
COPY queries ./queries
COPY ontology ./ontology
COPY samples ./samples
RUN python -m pip install --no-deps --no-build-isolation . && kg --help > /dev/null

EXPOSE 8000
VOLUME ["/app/data"]
# The sample articles are ingested on first start; later starts find them unchanged and skip them.
CMD ["sh", "-c", "kg ingest samples --store data/store && kg serve --store data/store --host 0.0.0.0 --port 8000"]
