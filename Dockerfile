# Lingkar in a container: slim Python, a non-root user, the database on a volume.
#   docker build -t lingkar .
#   docker run -d --name lingkar -e LINGKAR_TELEGRAM_TOKEN=... -v lingkar-data:/data lingkar
# or `docker compose up -d` with compose.yaml. The config baked in is
# deploy/docker.toml; mount your own over /etc/lingkar/config.toml to change it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY core ./core
COPY domain ./domain
COPY handlers ./handlers
COPY sandbox ./sandbox
COPY services ./services
COPY storage ./storage
RUN pip install . \
    && rm -rf /src \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin lingkar \
    && mkdir -p /data /etc/lingkar \
    && chown lingkar:lingkar /data \
    && chmod 0700 /data
COPY deploy/docker.toml /etc/lingkar/config.toml

WORKDIR /data
USER lingkar
VOLUME ["/data"]
# Used in webhook mode only (deploy/docker.toml: listen 0.0.0.0, port 8443).
EXPOSE 8443
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["lingkar", "healthcheck", "--config", "/etc/lingkar/config.toml"]
ENTRYPOINT ["lingkar"]
CMD ["run", "--config", "/etc/lingkar/config.toml"]
