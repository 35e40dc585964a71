"""The public site (issue 16): every public page opened signed out, on the demo data plus unpublished work
with unique markers (a draft, a report in review, a correction being drafted, an Activity Report not shown
publicly, a person as author and focal point): none of it appears anywhere on a public page, while a
signed-in user still sees it. Filters come from the URL, RT_PUBLIC_SITE=0 leaves only the sign-in screen,
and signing in from a public page lands on the same filtered view."""

import json
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from analytics import progress
from analytics.filters import ProgressFilter, data_years
from db import vocab
from db.engine import make_engine, transaction
from db.models import Component, Congress, ProgressReport, Resolution, User
from services import public as public_data
from services.register import RegisterFilter, search_resolutions
from tests import factories as f
from tests.pages.apptest import open_page
from ui.navigation import PAGES

MARKERS = {  # unpublished text: never on a public page
    "draft": "Zq-draft-marker summary",
    "review": "Zq-review-marker summary",
    "correction": "Zq-correction-marker summary",
    "hidden_activity": "Zq-hidden-activity-marker",
    "draft_activity": "Zq-draft-activity-marker",
}
PERSON = ("Zebulon Quartermain", "zq.person@example.org")  # an author and focal point: never public
PUBLIC_ACTIVITY = "Zq-public-activity-marker"  # shown publicly by its component: on the public page
PUBLIC_PAGES = [spec.path for spec in PAGES if spec.public]


@pytest.fixture
def leaky(app_db) -> dict:
    """The demo data plus unpublished work on one Resolution of Marseille 2020 with a published report."""
    engine = make_engine(app_db)
    with transaction(engine) as s:
        res = s.exec(
            select(Resolution).join(Congress).join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
            .where(Congress.code == "WCC-2020", ProgressReport.state == "published")
            .order_by(Resolution.number)).first()
        last = s.exec(select(func.max(ProgressReport.year)).where(ProgressReport.resolution_id == res.id)).one()
        person = f.user(s, "zqperson", ("focal_point",))
        person.display_name, person.email = PERSON
        f.assign(s, res, person)
        f.progress_report(s, res, person, year=last + 1, state="draft", status="Completed").summary = MARKERS["draft"]
        f.progress_report(s, res, person, year=last + 2, state="in_review",
                          status="Completed").summary = MARKERS["review"]
        corrected = s.exec(select(ProgressReport).where(ProgressReport.resolution_id == res.id,
                                                        ProgressReport.state == "published")
                           .order_by(ProgressReport.year.desc())).first()
        corrected.state, corrected.summary, corrected.author_id = "draft", MARKERS["correction"], person.id
        component = s.exec(select(Component).where(Component.kind == "Member").order_by(Component.id)).first()
        when = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        f.activity_report(s, component, person, (res,), title=MARKERS["hidden_activity"], submitted_at=when)
        f.activity_report(s, component, person, (res,), state="draft",
                          title=MARKERS["draft_activity"]).shown_publicly = True
        shown = f.activity_report(s, component, person, (res,), title=PUBLIC_ACTIVITY, submitted_at=when)
        shown.shown_publicly, shown.description = True, "What the component did, in public."
        names = set(s.exec(select(User.display_name)).all()) | set(s.exec(select(User.email)).all())
        code = res.code
    engine.dispose()
    return {"code": code, "secret": [*MARKERS.values(), *names], "engine_url": app_db}


def page_text(at) -> str:
    """Everything the run drew: every element's message (texts, labels, help, chart data) and the cells of
    every table."""
    parts = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        value = getattr(node, "value", None) if node.type == "arrow_data_frame" else None
        if isinstance(value, pd.DataFrame):
            parts.append(value.to_csv())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def assert_nothing_unpublished(at, secret: list[str]) -> None:
    assert not at.exception
    text = page_text(at)
    leaked = [s for s in secret if s in text]
    assert not leaked, leaked
    assert vocab.IN_PREPARATION not in text
    assert "Sign in" in [b.label for b in at.sidebar.button]  # a visitor's page, not the signed-in one
    assert "actor" not in at.session_state


def public(page: str, query: dict | None = None):
    return open_page(page, None, query)


# -- every public page, signed out --------------------------------------------------------------------------
def test_the_register_signed_out_applies_the_filters_of_the_link(leaky):
    at = public("pages/register.py", {"congress": "WCC-2020", "kind": "Recommendation"})
    assert_nothing_unpublished(at, leaky["secret"])
    assert [t.value for t in at.title] == [":material/gavel: Resolution register"]
    assert at.multiselect(key="congress").value == ["WCC-2020"]
    assert at.multiselect(key="kind").value == ["Recommendation"]
    with Session(make_engine(leaky["engine_url"])) as s:
        expected = search_resolutions(session=s, flt=RegisterFilter(congresses=["WCC-2020"], kinds=["Recommendation"]))
    assert next(m for m in at.metric if m.label == "Matching").value == f"{len(expected):,}"
    shown = at.dataframe[0].value
    assert list(shown["code"]) == list(expected["code"]) and len(shown) > 0


def test_a_resolution_signed_out_shows_only_what_is_published(leaky):
    at = public("pages/resolution.py", {"code": leaky["code"]})
    assert_nothing_unpublished(at, leaky["secret"])
    assert "Secretariat focal points" not in page_text(at)
    years = at.dataframe[0].value
    assert list(years.columns) == ["year", "status", "published_at"] and len(years) > 0
    assert set(years["status"]) <= set(vocab.IMPLEMENTATION_STATUSES)
    assert at.expander, "the published reports, one per year"
    assert all(not c.value.startswith("Written by") for c in at.caption)
    activities = at.dataframe[1].value
    with Session(make_engine(leaky["engine_url"])) as s:  # the demo's own (its Commissions show theirs)
        shown = public_data.resolution(s, leaky["code"])["activity_reports"]
    assert PUBLIC_ACTIVITY in list(activities["title"])
    assert sorted(activities["title"]) == sorted(a["title"] for a in shown)


def test_a_public_activity_report_opens_without_its_author(leaky):
    at = public("pages/resolution.py", {"code": leaky["code"]})
    at.session_state[at.dataframe[1].key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert_nothing_unpublished(at, leaky["secret"])
    assert "What the component did, in public." in [t.value for t in at.text]


def test_an_unknown_resolution_signed_out(leaky):
    at = public("pages/resolution.py", {"code": "WCC-2020-Res-999"})
    assert not at.exception
    assert "There is no Resolution with the code" in at.error[0].value


def _year_with_work_in_preparation(url: str, congress: str) -> int:
    """The latest year the public Overview offers for the Congress in which some reports are in preparation."""
    with Session(make_engine(url)) as s:
        for year in sorted(data_years(session=s, congress=congress, public=True), reverse=True):
            counts = progress.status_counts(session=s, flt=ProgressFilter(congress=congress, year=year))
            if int(counts.set_index("status").loc[vocab.IN_PREPARATION, "count"]):
                return year
    raise AssertionError("the demo data has work in preparation")


def test_the_overview_signed_out_counts_published_reports_only(leaky):
    year = _year_with_work_in_preparation(leaky["engine_url"], "WCC-2020")
    at = public("pages/overview.py", {"congress": "WCC-2020", "year": str(year)})
    assert_nothing_unpublished(at, leaky["secret"])
    assert at.selectbox(key="congress").value == "WCC-2020" and at.selectbox(key="year").value == year
    assert at.markdown[0].value.startswith(f"**Marseille 2020 (WCC-2020), reporting year {year}:**")
    # The status chart's numbers are analytics.progress.status_counts(public=True) for the same filters.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {trace["name"]: trace["customdata"][0][2] for trace in spec["data"]}  # (scope, status, count, share)
    with Session(make_engine(leaky["engine_url"])) as s:
        flt = ProgressFilter(congress="WCC-2020", year=year, public=True)
        counts = progress.status_counts(session=s, flt=flt).set_index("status")["count"]
    assert counts[vocab.IN_PREPARATION] == 0 and vocab.IN_PREPARATION not in drawn
    assert drawn == {status: int(n) for status, n in counts.items() if status != vocab.IN_PREPARATION}
    assert next(m for m in at.metric if m.label == "Resolutions in force").value == f"{int(counts.sum()):,}"


def test_the_body_of_policy_signed_out(leaky):
    at = public("pages/body_of_policy.py", {"kind": "Resolution"})
    assert_nothing_unpublished(at, leaky["secret"])
    assert at.multiselect(key="kind").value == ["Resolution"]
    assert next(m for m in at.metric if m.label == "Resolutions · Recommendations").value.endswith("· 0")


def test_the_sign_in_screen_offers_the_public_pages(leaky):
    at = public(None)
    assert not at.exception
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
    assert {link.label for link in at.get("page_link")} == {"Overview", "Body of policy", "Resolutions"}


# -- the setting, the signed-in pages, signing in --------------------------------------------------------
@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_with_the_public_site_off_a_visitor_sees_only_the_sign_in_screen(leaky, monkeypatch, page):
    monkeypatch.setenv("RT_PUBLIC_SITE", "0")
    at = public(page, {"code": leaky["code"]} if page == "pages/resolution.py" else None)
    assert not at.exception
    assert [t.value for t in at.title] == [":material/fact_check: Resolutions Tracker"]
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
    assert not at.get("page_link") and not at.sidebar.button


def test_signed_in_the_resolution_page_is_unchanged(leaky):
    """The markers are really there: the Secretariat sees the focal point, the work in progress and the
    report not shown publicly."""
    at = open_page("pages/resolution.py", "secretariat", {"code": leaky["code"]})
    assert not at.exception
    text = page_text(at)
    assert PERSON[0] in text and PERSON[1] in text
    assert MARKERS["hidden_activity"] in text and vocab.IN_PREPARATION in text
    assert "Sign in" not in [b.label for b in at.sidebar.button]


def test_signed_in_the_overview_counts_work_in_preparation(leaky):
    year = _year_with_work_in_preparation(leaky["engine_url"], "WCC-2020")
    at = open_page("pages/overview.py", "leader", {"congress": "WCC-2020", "year": str(year)})
    assert not at.exception
    assert "in preparation" in at.markdown[0].value


def test_signing_in_from_a_public_page_lands_on_the_same_filtered_view(leaky):
    at = public("pages/overview.py", {"congress": "WCC-2016", "year": "2019"})
    next(b for b in at.sidebar.button if b.label == "Sign in").click().run()
    assert not at.exception
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
    assert "Back without signing in" in [b.label for b in at.button]
    at.text_input(key="sign_in_username").input("leader")
    at.text_input(key="sign_in_password").input("Demo-Leader-2026")
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception
    assert at.session_state["actor"].username == "leader"
    assert [t.value for t in at.title] == [":material/monitoring: Overview"]
    assert at.selectbox(key="congress").value == "WCC-2016" and at.selectbox(key="year").value == 2019
    assert "in preparation" in at.markdown[0].value  # the signed-in figures now


def test_back_without_signing_in_returns_to_the_public_page(leaky):
    at = public("pages/register.py", {"congress": "WCC-2016"})
    next(b for b in at.sidebar.button if b.label == "Sign in").click().run()
    next(b for b in at.button if b.label == "Back without signing in").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == [":material/gavel: Resolution register"]
    assert at.multiselect(key="congress").value == ["WCC-2016"]


def test_after_signing_out_on_a_public_page_one_is_told_so_then_sees_it_public(leaky):
    at = open_page("pages/register.py", "reporter")
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert not at.exception
    assert [i.value for i in at.info] == ["You are signed out."]
    at.run()
    assert [t.value for t in at.title] == [":material/gavel: Resolution register"]
    assert "actor" not in at.session_state


# -- "may be shown publicly" on the Activity Report form ---------------------------------------------------
def test_a_report_submitted_with_may_be_shown_publicly_appears_on_the_public_page(app_db):
    from tests.pages.test_report_activity import button, fill_valid

    at = open_page("pages/report_activity.py", "reporter")
    box = at.checkbox(key="ar_public")
    assert box.label == "May be shown publicly" and box.value is False
    assert "without signing in" in box.help and "never your name" in box.help
    fill_valid(at, app_db)
    at.text_input(key="ar_title").input("Zq-consented activity")
    box.check()
    button(at, "Submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    at = public("pages/resolution.py", {"code": "WCC-2020-Res-001"})
    assert "Zq-consented activity" in list(at.dataframe[1].value["title"])
    assert "Rosa Reporter" not in page_text(at)


def test_asking_to_sign_in_then_going_to_another_public_page_shows_that_page(leaky):
    at = public("pages/register.py")
    next(b for b in at.sidebar.button if b.label == "Sign in").click().run()
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]
    at.switch_page("pages/body_of_policy.py").run()
    assert not at.exception
    assert [t.value for t in at.title] == [":material/account_balance: Body of policy"]
