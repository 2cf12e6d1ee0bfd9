# The image for web, worker and beat (docker-compose.yml). Debian bookworm, like the dev machines.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH VAR_DIR=/app/var \
    FORWARDED_ALLOW_IPS=127.0.0.1
RUN apt-get update && apt-get install -y --no-install-recommends \
      fonts-ipaexfont-gothic gettext libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 dvc
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# The browser libraries from npm (jsQR for the scanning desks), pinned and checked by package-lock.json's sha512:
# no node in the image, the script fetches the tarball itself. Before collectstatic, which hashes them.
RUN python scripts/vendor_js.py \
    && DEBUG=1 python manage.py compilemessages -v0 --ignore=.venv \
    && SECRET_KEY=build-only STATIC_MANIFEST=true python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/media /app/var/beat && chown -R dvc /app/var
USER dvc
EXPOSE 8000
# uvicorn takes X-Forwarded-For/-Proto only from FORWARDED_ALLOW_IPS (it reads the variable itself): loopback
# here, the compose proxy's address in docker-compose.yml. A client's own header is ignored.
CMD ["python", "-m", "uvicorn", "dvc.asgi:application", "--host", "0.0.0.0", "--port", "8000", \
     "--proxy-headers", "--ws", "websockets-sansio", \
     "--http", "dvc.server:HttpToolsProtocol", "--lifespan", "off"]
