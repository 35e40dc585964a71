"""The guide on the demo data, for every role: the cycle diagram with the year's counts, where the user's own
work sits, the deadlines, what each role does. Expected counts come from plain queries on the demo database."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from streamlit.util import calc_hash

from db.engine import make_engine
from db.models import ActivityReport, ProgressReport, User
from db.vocab import ROLE_LABELS
from tests.pages.apptest import open_page, reachable

PAGE = "pages/guide.py"
# the stage each demo user's work sits at
STAGES = {"reporter": {"activity"}, "focal": {"progress"}, "secretariat": {"progress", "analysis"},
          "leader": {"analysis"}, "admin": {"progress", "analysis"}}
ROLE_OF = {"reporter": "reporter", "focal": "focal_point", "secretariat": "secretariat", "leader": "leadership",
           "admin": "admin"}


def diagram(at) -> dict[str, str]:
    """The DOT source's node lines by node name."""
    dot = at.get("graphviz_chart")[0].proto.spec
    return {line.split()[0]: line for line in dot.splitlines() if "[label=" in line and "->" not in line}


def year_counts(app_db, year: int) -> tuple[int, dict[str, int]]:
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    with Session(make_engine(app_db)) as s:
        submitted = s.exec(select(func.count(ActivityReport.id)).where(
            ActivityReport.state == "submitted", ActivityReport.submitted_at >= start,
            ActivityReport.submitted_at < end)).one()
        states = dict(s.exec(select(ProgressReport.state, func.count()).where(ProgressReport.year == year)
                             .group_by(ProgressReport.state)).all())
    return submitted, states


@pytest.mark.parametrize("user", list(STAGES))
def test_every_role_sees_the_cycle_and_where_their_work_sits(app_db, user):
    assert reachable(PAGE, user)
    at = open_page(PAGE, user, {"year": "2026"})
    assert not at.exception
    nodes = diagram(at)
    assert set(nodes) == {"activity", "progress", "analysis"}
    assert {n for n, line in nodes.items() if "YOUR WORK IS HERE" in line} == STAGES[user]
    submitted, states = year_counts(app_db, 2026)
    assert f"{submitted:,} submitted in 2026" in nodes["activity"]
    preparing = states.get("draft", 0) + states.get("in_review", 0)  # the demo has no correction under way
    assert f"{preparing:,} in preparation ({states.get('in_review', 0):,} in review)" in nodes["progress"]
    assert f"{states.get('published', 0):,} published for 2026" in nodes["progress"]
    assert "due 15 Dec 2026" in nodes["progress"]
    texts = [m.value for m in at.markdown]
    # every role is explained, the user's own first and marked
    explained = [t for t in texts if t.startswith("**") and "." in t and any(
        t.startswith(f"**{label}") for label in ROLE_LABELS.values())]
    assert len(explained) == len(ROLE_LABELS)
    assert explained[0].startswith(f"**{ROLE_LABELS[ROLE_OF[user]]} (you).**")
    assert any("15 Dec 2026" in i.value for i in at.info)


def test_year_in_the_url(app_db):
    at = open_page(PAGE, "leader", {"year": "2022"})
    assert not at.exception
    assert at.selectbox(key="year").value == 2022
    assert any(h.value == "The reporting cycle in 2022" for h in at.subheader)
    submitted, states = year_counts(app_db, 2022)
    assert f"{submitted:,} submitted in 2022" in diagram(at)["activity"]
    assert f"{states.get('published', 0):,} published for 2022" in diagram(at)["progress"]
    assert any("were due on **15 Dec 2022**" in i.value for i in at.info)


def test_changing_the_year_updates_the_url(app_db):
    at = open_page(PAGE, "reporter")
    at.selectbox(key="year").set_value(2023).run()
    assert not at.exception
    assert at.query_params["year"] == "2023"
    assert "submitted in 2023" in diagram(at)["activity"]


def test_reporter_sees_their_own_drafts(app_db):
    at = open_page(PAGE, "reporter", {"year": "2026"})
    with Session(make_engine(app_db)) as s:
        me = s.exec(select(User.id).where(User.username == "reporter")).one()
        drafts = s.exec(select(func.count(ActivityReport.id)).where(
            ActivityReport.author_id == me, ActivityReport.state == "draft")).one()
        returned = s.exec(select(func.count(ActivityReport.id)).where(
            ActivityReport.author_id == me, ActivityReport.state == "returned")).one()
    texts = [m.value for m in at.markdown]
    i = texts.index("Your Activity Reports in draft")
    assert texts[i - 1] == f"### {drafts}"
    j = texts.index("Returned to you with a comment")
    assert texts[j - 1] == f"### {returned}" and returned >= 1  # the demo has one returned report


def test_focal_point_sees_what_they_owe(app_db):
    at = open_page(PAGE, "focal", {"year": "2026"})
    texts = [m.value for m in at.markdown]
    assert "Progress Reports you still owe for 2026" in texts
    links = {link.proto.page: link.proto.query_string for link in at.get("page_link")}
    # straight to the coverage view of their own Resolutions
    assert links["coverage"] == "year=2026&congress=WCC-2025&mine=1"


def linked_pages(at) -> set[str]:
    """The pages the guide links to, by name (a link to one's landing page has the address "/", so the
    page is told by its script hash, which Streamlit takes from the page's own name)."""
    names = {calc_hash(name): name for name in ("analysis", "my_reports", "coverage", "overview")}
    return {names.get(link.proto.page_script_hash, link.proto.page) for link in at.main.get("page_link")}


def test_links_only_to_pages_the_role_may_open(app_db):
    at = open_page(PAGE, "leader", {"year": "2026"})
    assert linked_pages(at) == {"analysis"}
    at = open_page(PAGE, "reporter", {"year": "2026"})
    assert linked_pages(at) == {"my_reports"}
