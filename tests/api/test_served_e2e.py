"""The API served as the README says: `streamlit run asgi.py` (make run) and `uvicorn asgi:app` (production)
each serve the app, /api/health and the open-data API on one port; RT_PUBLIC_SITE=0 takes the API away and
leaves the health check. Real servers on the demo data (no browser needed)."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from tests.e2e.conftest import ROOT, _free_port, running_app

pytestmark = pytest.mark.e2e


def get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@contextmanager
def uvicorn_app(env: dict[str, str]):
    port = _free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "asgi:app", "--port", str(port)], cwd=ROOT,
                            env=os.environ | env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while get_or_none(f"{url}/api/health") is None:
            if proc.poll() is not None or time.time() > deadline:
                log.seek(0)
                raise RuntimeError("uvicorn did not start:\n" + log.read().decode(errors="replace"))
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def get_or_none(url: str):
    try:
        return get(url)
    except OSError:
        return None


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> str:
    copy = tmp_path / "served.db"
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


def test_make_run_serves_app_health_and_api_on_one_port(demo_copy):
    with running_app({"DATABASE_URL": demo_copy, "RT_DEMO": "1"}, script="asgi.py") as url:
        status, headers, body = get(f"{url}/api/v1/resolutions?congress=WCC-2020&limit=500")
        assert status == 200 and json.loads(body)["total"] == 137
        assert headers["etag"] and headers["x-content-type-options"] == "nosniff"  # asgi.py's headers too
        assert get(f"{url}/api/v1/congresses", {"If-None-Match": headers["etag"]})[0] in (200, 304)
        assert get(f"{url}/api/health")[0] == 200
        assert json.loads(get(f"{url}/api/openapi.json")[2])["info"]["title"]
        status, _, page = get(f"{url}/")
        assert status == 200 and b"<html" in page.lower()  # the Streamlit app itself


def test_uvicorn_serves_it_too_and_the_switch_turns_the_api_off(demo_copy):
    with uvicorn_app({"DATABASE_URL": demo_copy, "RT_DEMO": "1"}) as url:
        status, _, body = get(f"{url}/api/v1/stats/status?congress=WCC-2020&year=2025")
        assert status == 200 and json.loads(body)["total"] == 137
    with uvicorn_app({"DATABASE_URL": demo_copy, "RT_DEMO": "1", "RT_PUBLIC_SITE": "0"}) as url:
        status, headers, body = get(f"{url}/api/v1/congresses")
        assert status == 404 and json.loads(body)["error"] == "not_found"
        assert get(f"{url}/api/health")[0] == 200


def test_a_fresh_demo_database_is_ready_before_the_first_request(tmp_path):
    """The load balancer's first question is the health check: the database is prepared when the server starts,
    not at the first page view (which a load balancer waiting for 200 would never send)."""
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    with uvicorn_app({"DATABASE_URL": fresh, "RT_DEMO": "1"}) as url:
        status, _, body = get(f"{url}/api/health")
        assert status == 200, body
        assert json.loads(body)["schema_revision"] == json.loads(body)["expected_revision"]
