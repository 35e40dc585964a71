"""GET /api/v1/stats/challenges (issue 18): the reporters' words grouped from public data only, on both
databases: a draft or unpublished Progress Report and an Activity Report not shown publicly never appear."""

from datetime import UTC, datetime

from sqlmodel import Session

from db.models import ProgressReportRevision
from tests import factories as f
from tests.analytics.report_theme_corpus import TOPICS
from tests.api.conftest import client_for

URL = "/api/v1/stats/challenges"
SECRET = "Confidential: the minister blocked the funding in private."


def _build(engine):
    with Session(engine) as s:
        africa = f.component(s, "A Commission", kind="Commission", region="Africa", country=None)
        author = f.user(s, "writer", ("focal_point",), components=(africa,))
        res = f.resolution(s, 1, themes=("Oceans",))
        number = 0
        for english, french in TOPICS.values():
            for language, texts in (("en", english), ("fr", french)):
                for text in texts:
                    number += 1
                    report = f.activity_report(s, africa, author, (res,),
                                               submitted_at=datetime(2025, 3, 1 + number % 27, tzinfo=UTC))
                    report.challenges, report.language, report.shown_publicly = text, language, True
                    s.add(report)
        hidden = f.activity_report(s, africa, author, (res,), submitted_at=datetime(2025, 4, 1, tzinfo=UTC))
        hidden.challenges = SECRET  # not shown publicly
        draft = f.activity_report(s, africa, author, (res,), state="draft")
        draft.challenges, draft.shown_publicly = SECRET, True
        unpublished = f.progress_report(s, f.resolution(s, 2), author, year=2025, state="in_review")
        unpublished.challenges = SECRET
        published = f.progress_report(s, f.resolution(s, 3), author, year=2025, state="published")
        s.add(ProgressReportRevision(progress_report_id=published.id, revision=1, status="Initiated",
                                     published_by=author.id, content={"challenges": "Donors cut the funding budget."}))
        s.add_all([hidden, draft, unpublished])
        s.commit()


def test_the_groups_come_from_public_data_only(engine):
    _build(engine)
    with client_for(engine) as client:
        answer = client.get(URL, params={"year": 2025, "region": "Africa"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert SECRET not in answer.text
        assert (body["year"], body["region"], body["across_languages"]) == (2025, "Africa", False)
        assert body["texts"] == 24  # the public Activity Reports (the published Progress Report has no region)
        assert {g["language"] for g in body["groups"]} == {"en", "fr"}
        assert sorted(g["texts"] for g in body["groups"]) == [4] * 6
        funding = next(g for g in body["groups"] if "funding" in g["terms"])
        assert all(q["kind"] == "activity" and q["codes"] == ["WCC-2020-Res-001"] for q in funding["quotes"])

        everything = client.get(URL).json()
        assert everything["texts"] == 25 and SECRET not in str(everything)
        assert client.get(URL, params={"language": "fr"}).json()["texts"] == 12
        assert client.get(URL, params={"theme": "Oceans", "across_languages": True}).json()["groups"][0][
            "language"] == "all"


def test_bad_filters_are_400(engine):
    _build(engine)
    with client_for(engine) as client:
        for params in ({"region": "Atlantis"}, {"theme": "Nothing"}, {"congress": "WCC-1800"}, {"language": "de"}):
            answer = client.get(URL, params=params)
            assert answer.status_code == 400, (params, answer.text)
