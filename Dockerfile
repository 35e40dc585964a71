# The Resolutions Tracker's app image: the production start (`streamlit run asgi.py`), which also serves
# /api/health. compose.yaml runs it as two app replicas, the one-shot schema job and the mail job.
#   docker build -t resolutions-tracker .
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
RUN useradd --create-home --uid 10001 tracker

# The packages first (pyproject.toml alone changes rarely: this layer is reused), then the code.
COPY pyproject.toml README.md ./
RUN mkdir -p db/migrations services analytics ui \
    && touch db/__init__.py db/migrations/__init__.py services/__init__.py analytics/__init__.py ui/__init__.py \
    && pip install -e . \
    && rm -rf db services analytics ui
COPY . .
RUN mkdir -p data && chown tracker data

USER tracker
EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=6s --start-period=40s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/api/health', timeout=5)"]
CMD ["streamlit", "run", "asgi.py", "--server.port", "8501", "--server.address", "0.0.0.0", \
     "--server.headless", "true", "--browser.gatherUsageStats", "false"]
