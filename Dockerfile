# Retning in a container: gunicorn (`retning serve`) as a non-root user, data in /data.
# Build: docker build -t retning .   Run with PostgreSQL: see compose.yaml and
# docs/deployment.md.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RETNING_DATA_DIR=/data \
    RETNING_HOST=0.0.0.0 \
    RETNING_PORT=8000

# Pango (and a font) for WeasyPrint's PDF reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home retning \
    && mkdir /data && chown retning:retning /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install .

USER retning
VOLUME /data
EXPOSE 8000
CMD ["retning", "serve", "--host", "0.0.0.0", "--port", "8000"]
