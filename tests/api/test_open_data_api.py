"""The open-data API on both databases: every endpoint, its filters and pagination, errors as JSON, ETag and
304, CORS, the rate limit, the public-site switch, and nothing unpublished in any answer (the world:
tests/public_world.py)."""

import io
import logging
import zipfile

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

from analytics import progress
from analytics.filters import ProgressFilter
from db import vocab
from services import audit, public
from tests import public_world as world
from tests.api.conftest import client_for, mounted

V1 = "/api/v1"


def ok(client, url: str, **params):
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def codes(page) -> list[str]:
    return [row["code"] for row in page["items"]]


# -- every endpoint ----------------------------------------------------------------------------------
def test_congresses(client):
    rows = ok(client, f"{V1}/congresses")
    by_code = {c["code"]: c for c in rows}
    assert by_code["WCC-2020"]["resolutions"] == 5 and by_code["WCC-2020"]["start_date"] == "2021-09-03"
    assert [c["year"] for c in rows] == sorted((c["year"] for c in rows), reverse=True)


def test_every_resolution_of_a_congress_in_one_call(client):
    page = ok(client, f"{V1}/resolutions", congress="WCC-2020", limit=500)
    assert page["total"] == 5 and page["next_offset"] is None
    assert codes(page) == ["WCC-2020-Res-001", "WCC-2020-Res-002", "WCC-2020-Res-003", "WCC-2020-Rec-004",
                           "WCC-2020-Res-005"]
    first = page["items"][0]
    assert first["themes"] == ["Oceans"] and first["latest_status"] == "Underway" and first["latest_year"] == 2025


@pytest.mark.parametrize("params, expected", [
    ({"kind": "Recommendation"}, ["WCC-2020-Rec-004"]),
    ({"theme": "Land"}, ["WCC-2020-Res-002"]),
    ({"status": "archived"}, ["WCC-2020-Res-005"]),
    ({"status": "Completed"}, ["WCC-2020-Rec-004"]),
    ({"status": "Initiated"}, ["WCC-2016-Res-010"]),
    ({"q": "coral reefs"}, ["WCC-2020-Res-001"]),
    ({"congress": "WCC-2016"}, ["WCC-2016-Res-010"]),
    ({"congress": ["WCC-2016", "WCC-2020"], "kind": "Recommendation"}, ["WCC-2020-Rec-004"]),
    ({"theme": ["Land", "Oceans"]}, ["WCC-2020-Res-001", "WCC-2020-Res-002"]),
])
def test_resolution_filters(client, params, expected):
    assert codes(ok(client, f"{V1}/resolutions", **params)) == expected


def test_resolution_pages(client):
    everything = codes(ok(client, f"{V1}/resolutions", limit=500))
    assert len(everything) == 6
    seen, offset = [], 0
    while offset is not None:
        page = ok(client, f"{V1}/resolutions", limit=4, offset=offset)
        assert page["total"] == 6 and page["limit"] == 4 and len(page["items"]) <= 4
        seen += codes(page)
        offset = page["next_offset"]
    assert seen == everything
    assert ok(client, f"{V1}/resolutions", offset=50)["items"] == []


def test_one_resolution(client):
    found = ok(client, f"{V1}/resolutions/WCC-2020-Res-001")
    assert found["title"] == "Saving coral reefs" and found["congress"]["city"] == "Marseille"
    assert [(r["year"], r["status"], r["revision"]) for r in found["progress_reports"]] == [(2025, "Underway", 2)]
    assert found["progress_reports"][0]["summary"] == "PUBLISHED-R2-SUMMARY"
    assert found["status_timeline"] == [{"year": 2025, "status": "Underway"}]
    assert [a["title"] for a in found["activity_reports"]] == ["PUBLIC-ACTIVITY-TITLE"]
    archived = ok(client, f"{V1}/resolutions/WCC-2020-Res-005")
    assert archived["status"] == "archived" and archived["archived_on"] == "2024-06-01"


def test_progress_reports_and_their_filters(client):
    page = ok(client, f"{V1}/progress-reports")
    assert page["total"] == 4 and {r["resolution"] for r in page["items"]} == {
        "WCC-2020-Res-001", "WCC-2020-Rec-004", "WCC-2020-Res-005", "WCC-2016-Res-010"}
    assert ok(client, f"{V1}/progress-reports", congress="WCC-2016")["total"] == 1
    assert [r["resolution"] for r in ok(client, f"{V1}/progress-reports", year=2023)["items"]] == ["WCC-2020-Res-005"]
    assert ok(client, f"{V1}/progress-reports", status="Completed")["items"][0]["resolution"] == "WCC-2020-Rec-004"
    assert ok(client, f"{V1}/progress-reports", year=2026)["total"] == 0  # only a draft that year
    page = ok(client, f"{V1}/progress-reports", limit=3)
    assert len(page["items"]) == 3 and page["next_offset"] == 3
    assert len(ok(client, f"{V1}/progress-reports", limit=3, offset=3)["items"]) == 1


def test_stats_are_the_public_overview_figures(client, engine):
    """The same numbers as analytics.progress.status_counts(public=True) (what the public Overview shows);
    they differ from the signed-in ones exactly by the two reports in preparation, folded."""
    stats = ok(client, f"{V1}/stats/status", congress="WCC-2020", year=world.YEAR)
    with Session(engine) as s:
        shown = progress.status_counts(session=s, flt=ProgressFilter("WCC-2020", world.YEAR, public=True))
        signed_in = progress.status_counts(session=s, flt=ProgressFilter("WCC-2020", world.YEAR))
        default = progress.status_counts(session=s, flt=ProgressFilter(public=True))
    public_scale = shown[shown["status"] != vocab.IN_PREPARATION]  # always 0 publicly: not named at all
    assert stats["statuses"] == public_scale.to_dict("records") and stats["total"] == 4
    assert (stats["congress"], stats["year"]) == ("WCC-2020", world.YEAR)
    api = {r["status"]: r["count"] for r in stats["statuses"]}
    inside = dict(zip(signed_in["status"], signed_in["count"]))
    assert inside[vocab.IN_PREPARATION] == 2 and vocab.IN_PREPARATION not in api
    assert api[vocab.NO_PROGRESS_REPORT] == inside[vocab.NO_PROGRESS_REPORT] + inside[vocab.IN_PREPARATION]
    assert all(api[s] == inside[s] for s in vocab.IMPLEMENTATION_STATUSES)
    assert ok(client, f"{V1}/stats/status")["statuses"] == default[default["status"] != vocab.IN_PREPARATION
                                                                   ].to_dict("records")


def test_downloads_list_and_files(client):
    listing = ok(client, f"{V1}/downloads")
    assert listing["licence"] == "CC BY 4.0" and listing["data_version"] > 0
    names = {item["name"]: item for item in listing["items"]}
    assert {"resolutions.csv", "progress_reports.json", "README.md", "open-data.zip"} <= set(names)
    for name, item in names.items():
        answer = client.get(item["url"])
        assert answer.status_code == 200 and len(answer.content) == item["bytes"], name
        assert answer.headers["content-type"].startswith(item["media_type"].split(";")[0])
        assert f'filename="{name}"' in answer.headers["content-disposition"]
    assert names["resolutions.csv"]["url"] == f"{V1}/downloads/resolutions.csv"


def test_openapi_document(client):
    document = ok(client, "/api/openapi.json")
    assert {"/v1/congresses", "/v1/resolutions", "/v1/resolutions/{code}", "/v1/progress-reports",
            "/v1/stats/status", "/v1/downloads", "/v1/downloads/{name}"} <= set(document["paths"])
    parameters = {p["name"] for p in document["paths"]["/v1/resolutions"]["get"]["parameters"]}
    assert {"congress", "kind", "status", "theme", "q", "limit", "offset"} <= parameters


# -- errors ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url, params, field", [
    (f"{V1}/resolutions", {"congress": "WCC-1800"}, "congress"),
    (f"{V1}/resolutions", {"kind": "Decision"}, "kind"),
    (f"{V1}/resolutions", {"theme": "Mars"}, "theme"),
    (f"{V1}/resolutions", {"status": "draft"}, "status"),
    (f"{V1}/resolutions", {"limit": 501}, "limit"),
    (f"{V1}/resolutions", {"limit": "many"}, "limit"),
    (f"{V1}/resolutions", {"offset": -1}, "offset"),
    (f"{V1}/progress-reports", {"year": "last"}, "year"),
    (f"{V1}/progress-reports", {"year": 2 ** 70}, "year"),
    (f"{V1}/progress-reports", {"status": "In review"}, "status"),
    (f"{V1}/stats/status", {"congress": "NOPE"}, "congress"),
])
def test_a_bad_filter_is_400_json_naming_the_field(client, url, params, field):
    answer = client.get(url, params=params)
    assert answer.status_code == 400
    body = answer.json()
    assert body["status"] == 400 and body["error"] == "bad_request" and body["message"]
    assert field in {f["field"] for f in body["fields"]}


@pytest.mark.parametrize("url", [f"{V1}/resolutions/WCC-2020-Res-999", f"{V1}/resolutions/%00",
                                 f"{V1}/downloads/secrets.csv", f"{V1}/nothing-here", "/api/v2/resolutions"])
def test_unknown_is_404_json(client, url):
    answer = client.get(url)
    assert answer.status_code == 404 and answer.json()["error"] == "not_found"
    assert answer.headers["content-type"] == "application/json"


def test_read_only_other_methods_are_refused(client):
    answer = client.post(f"{V1}/resolutions", json={})
    assert answer.status_code == 405 and answer.json()["status"] == 405


def test_an_unexpected_error_is_500_json_logged_never_a_traceback(engine, built, monkeypatch, caplog):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom: secret internals")

    monkeypatch.setattr(public, "congresses", broken)
    with caplog.at_level(logging.ERROR, logger="resolutions_tracker.api"), client_for(engine) as c:
        answer = c.get(f"{V1}/congresses")
    body = answer.json()
    assert answer.status_code == 500 and body["error"] == "internal_error" and body["error_id"]
    assert "boom" not in answer.text and "Traceback" not in answer.text
    assert any(body["error_id"] in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_database_that_fails_is_500_json_too(built):
    def no_database():
        raise OSError("database down at 10.0.0.5")

    with TestClient(mounted(no_database)) as c:
        answer = c.get(f"{V1}/congresses")
    assert answer.status_code == 500 and answer.json()["status"] == 500
    assert "database down" not in answer.text and "10.0.0.5" not in answer.text


# -- caching, CORS, rate limit, switch -------------------------------------------------------------
def test_etag_and_304_until_the_data_change(client, engine):
    first = client.get(f"{V1}/resolutions", params={"congress": "WCC-2020"})
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    again = client.get(f"{V1}/resolutions", params={"congress": "WCC-2020"}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    with Session(engine) as s:
        audit.record(s, actor=None, action="update", entity="resolution", entity_id="WCC-2020-Res-001")
        s.commit()
    changed = client.get(f"{V1}/resolutions", params={"congress": "WCC-2020"}, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert client.get(f"{V1}/resolutions/XX").headers.get("etag") is None  # errors are not cached


def test_cors_for_get_from_any_origin(client):
    answer = client.get(f"{V1}/congresses", headers={"Origin": "https://newsroom.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "ETag" in answer.headers["access-control-expose-headers"]
    preflight = client.options(f"{V1}/congresses", headers={"Origin": "https://newsroom.example",
                                                            "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and "GET" in preflight.headers["access-control-allow-methods"]
    refused = client.options(f"{V1}/congresses", headers={"Origin": "https://newsroom.example",
                                                          "Access-Control-Request-Method": "DELETE"})
    assert refused.status_code == 400


def test_rate_limit_per_client_address(engine, built):
    now = [1000.0]
    app = mounted(lambda: engine, api_rate_per_minute=3, clock=lambda: now[0])
    with TestClient(app, client=("198.51.100.1", 1)) as one, TestClient(app, client=("198.51.100.2", 1)) as two:
        assert [one.get(f"{V1}/congresses").status_code for _ in range(3)] == [200, 200, 200]
        limited = one.get(f"{V1}/congresses")
        assert limited.status_code == 429 and limited.json()["error"] == "too_many_requests"
        assert int(limited.headers["retry-after"]) == 20  # 3 a minute: one token every 20 s
        assert two.get(f"{V1}/congresses").status_code == 200  # another address has its own bucket
        now[0] += 20
        assert one.get(f"{V1}/congresses").status_code == 200
        assert one.get(f"{V1}/congresses").status_code == 429


def test_public_site_off_means_no_api(engine, built):
    with client_for(engine, public_site=False) as c:
        for url in (f"{V1}/congresses", f"{V1}/resolutions", f"{V1}/resolutions/WCC-2020-Res-001",
                    f"{V1}/progress-reports", f"{V1}/stats/status", f"{V1}/downloads",
                    f"{V1}/downloads/open-data.zip", "/api/openapi.json", "/api/docs"):
            answer = c.get(url)
            assert answer.status_code == 404 and answer.json()["error"] == "not_found", url
            assert "WCC-2020" not in answer.text


def test_the_licence_comes_from_the_setting(engine, built):
    with client_for(engine, open_data_licence="ODbL 1.0") as c:
        assert ok(c, f"{V1}/downloads")["licence"] == "ODbL 1.0"
        assert "Licence: ODbL 1.0." in c.get(f"{V1}/downloads/README.md").text


# -- nothing unpublished -----------------------------------------------------------------------------
def every_answer(client) -> str:
    """The raw bodies of every endpoint under many filters, every Resolution and every download (the zip
    opened), as one text."""
    urls = [f"{V1}/congresses", "/api/openapi.json", f"{V1}/downloads", f"{V1}/stats/status"]
    urls += [f"{V1}/resolutions?limit=500", f"{V1}/progress-reports?limit=500"]
    urls += [f"{V1}/resolutions?status={s}" for s in public.RESOLUTION_STATUS_FILTERS]
    urls += [f"{V1}/progress-reports?year={y}" for y in (2023, 2024, 2025, 2026)]
    urls += [f"{V1}/stats/status?congress=WCC-2020&year={y}" for y in (2024, 2025, 2026)]
    urls += [f"{V1}/resolutions?q={q}" for q in ("SECRET", "Zelda", "example.org")]
    bodies = []
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        bodies.append(answer.text)
    for page in [client.get(f"{V1}/resolutions", params={"limit": 500}).json()]:
        bodies += [client.get(f"{V1}/resolutions/{row['code']}").text for row in page["items"]]
    for item in client.get(f"{V1}/downloads").json()["items"]:
        data = client.get(item["url"]).content
        if item["name"].endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                bodies += [zf.read(n).decode("utf-8-sig") for n in zf.namelist()]
        else:
            bodies.append(data.decode("utf-8-sig"))
    return "\n".join(bodies)


def test_nothing_unpublished_and_no_person_in_any_answer(client):
    text = every_answer(client).lower()
    for mark in world.PUBLIC_MARKS:
        assert mark.lower() in text, mark  # the search sees what is published
    for mark in world.SECRET_MARKS:
        assert mark.lower() not in text, mark


def test_the_rate_is_configured_by_environment(monkeypatch):
    from db.settings import ConfigurationError, load_settings

    monkeypatch.setenv("RT_API_RATE_PER_MINUTE", "7")
    assert load_settings().api_rate_per_minute == 7
    monkeypatch.delenv("RT_API_RATE_PER_MINUTE")
    assert load_settings().api_rate_per_minute == 120
    monkeypatch.setenv("RT_API_RATE_PER_MINUTE", "lots")
    with pytest.raises(ConfigurationError):
        load_settings()
