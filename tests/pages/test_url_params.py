"""URL parameters (issue 12, point 4): every parameter of every page, opened with hostile values by every role
that may see the page. Nothing raises; a value the page cannot use falls back with one notice (fixed text,
never the raw value); a usable value is taken without a notice; the Progress Report year is bounded by the
Resolution's Congress and the current reporting year. The parsers of ui/url_state.py are tested directly.

To stay fast, one AppTest per page and user is reused for every value: the test puts the value in the URL,
forgets which page read the filters (so the page reads its URL again, as on a first visit) and runs again.
"""

import re
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import Congress, FocalPointAssignment, ProgressReport, Resolution, User
from tests.pages.apptest import open_page
from tests.payloads import CONTROL, HUGE_NUMBERS, MARKUP
from ui import url_state
from ui.navigation import PAGES

THIS_YEAR = datetime.now(UTC).year
LONG = "x" * 1000
REPEATED = (["2024", "2025"], list(MARKUP[:3]))  # a parameter given more than once, differently
# Tried on every parameter of every page (the brief's list: empty, not a number, negative, zero, huge, 2**31
# (one past an id column), 2**63, 2**64, a year far out on either side, repeated, markup, 1000 characters).
PAGE_VALUES: tuple = ("", "abc", "-1", "0", *HUGE_NUMBERS, str(2**31), str(2**63), str(2**64), "2039", "1900",
                      MARKUP[0], LONG, *REPEATED)
# Also on pages with a free-text parameter (a search, a code), where markup and control characters are kept
# or cleaned rather than refused.
TEXT_VALUES: tuple = (*MARKUP[1:], *CONTROL)
# The parsers (cheap) get all of it and more.
CORPUS: tuple = (*PAGE_VALUES, *TEXT_VALUES, str(2**63 - 1), str(2**31 - 1), " 2024", "2024.0", "0x7e8", "1_000",
                 "9" * 1000,
                 "\u202e2024", ["abc", "abc"])

USERS = {"reporter": "reporter", "focal_point": "focal", "secretariat": "secretariat", "leadership": "leader",
         "admin": "admin"}
ID_MAX = 2**31 - 1  # the id columns are INTEGER: 2**31 raises on PostgreSQL


# What each kind of parameter accepts, written out independently of ui/url_state.py.
def _values(value) -> list[str]:
    return [v for v in ([value] if isinstance(value, str) else value) if v != ""]


def refused(kind: str, value) -> bool:
    values = _values(value)
    if not values:
        return False  # absent
    if kind == "choices":
        return True  # no corpus value is in a page's vocabulary
    if len(set(values)) > 1:
        return True  # a single-valued parameter given differently twice
    one = values[0]
    if kind == "id":
        return not (re.fullmatch(r"[0-9]+", one) and 1 <= int(one) <= ID_MAX)
    if kind.startswith("text"):
        limit = int(kind.split(":")[1])
        return len(one) > limit or any(ord(c) < 32 or c == "\u202e" for c in one)
    return True  # year, choice, date: no corpus value is one the page offers


# page -> {parameter: kind}; the Progress Report year is tried separately, on a real code.
PARAMS: dict[str, dict[str, str]] = {
    "pages/overview.py": {"congress": "choice", "year": "year", "theme": "choices", "kind": "choices",
                          "region": "choices", "component_kind": "choices"},
    "pages/analysis.py": {"congress": "choice", "year": "year"},
    "pages/body_of_policy.py": {"kind": "choices", "theme": "choices", "from": "year", "to": "year"},
    "pages/register.py": {"q": "text:200", "congress": "choices", "kind": "choices", "theme": "choices",
                          "status": "choice", "from": "year", "to": "year"},
    "pages/resolution.py": {"code": "text:32"},
    "pages/my_reports.py": {"state": "choice", "year": "choice", "resolution": "choice"},
    "pages/report_activity.py": {"id": "id", "from": "id"},
    "pages/my_resolutions.py": {"year": "year"},
    "pages/progress_report.py": {"code": "text:32"},
    "pages/coverage.py": {"year": "year", "congress": "choice", "state": "choices", "mine": "choice"},
    "pages/assignments.py": {"code": "choice"},
    "pages/audit_trail.py": {"user": "choice", "entity": "choice", "action": "choice", "since": "date",
                             "until": "date"},
    "pages/guide.py": {"year": "year"},
}


NOT_FILTERS = ("code", "id")  # parameters read on every run (ui.url_state.read_*), not filter widgets


def users_of(page: str) -> list[str]:
    spec = next(p for p in PAGES if p.path == page)
    return [USERS[r] for r in USERS if r in spec.roles or r == "admin"]


def notices(at) -> list[str]:
    return [w.value for w in at.warning if "in the link" in w.value]


def visit(at, query: dict) -> None:
    """Open the page again with this URL, as a first visit would read it."""
    at.query_params.clear()
    at.query_params.update({k: v for k, v in query.items() if _values(v)})
    at.session_state["_url_state_owners"] = {}  # every filter is read from the URL again
    at.run()


def check(at, query: dict, kinds: dict[str, str], page: str = "") -> bool:
    """No exception; a notice exactly when a value the page read was refused; no raw value in it."""
    where = f"{at.session_state['actor'].username} on {page} {query!r:.120}"
    assert not at.exception, f"{where}: {at.exception}"
    shown = notices(at)
    # A filter is read when the page gets that far (My reports stops first for a user with no report).
    read = set(at.session_state["_url_state_owners"]) | set(NOT_FILTERS)
    expected = any(refused(kinds[k], v) for k, v in query.items() if k in read)
    assert bool(shown) == expected, f"{where}: notices {shown}"
    assert len([w for w in at.warning if "in the link" in w.value]) <= 1, f"{where}: more than one notice"
    for value in (v for values in query.values() for v in _values(values)):
        if len(value) >= 4 and not value.strip().lstrip("-").isdigit():
            assert all(value not in text for text in shown), f"{where}: the raw value is echoed"
    assert "evil.example" not in " ".join(shown)
    return bool(shown)


def values_of(page: str) -> tuple:
    kinds = PARAMS[page].values()
    return PAGE_VALUES + (TEXT_VALUES if any(k.startswith("text") for k in kinds) else ())


def dealt(page: str, user: str) -> list:
    """The page's values dealt out in turn to the roles that may see it: each value is tried on the page,
    and each of those roles opens it with several hostile links."""
    users = users_of(page)
    return [v for i, v in enumerate(values_of(page)) if users[i % len(users)] == user]


@pytest.mark.parametrize("user", list(USERS.values()))
def test_every_parameter_of_every_page_survives_hostile_values(app_db, user):
    """Each value on every parameter of a page at once, on every page the user may open (one AppTest,
    signed in once, going from page to page as a user would)."""
    at = open_page(None, user)
    pages = [page for page in PARAMS if user in users_of(page)]
    tried = noticed = 0
    for page in pages:
        at.switch_page(page)
        for value in dealt(page, user):
            query = {name: value for name in PARAMS[page]}
            visit(at, query)
            noticed += check(at, query, PARAMS[page], page)
            tried += len(query)
    assert tried == sum(len(dealt(p, user)) * len(PARAMS[p]) for p in pages) and noticed > len(pages)


def test_every_value_is_tried_on_every_page_by_the_roles_that_may_see_it():
    for page in PARAMS:
        assert sorted(map(repr, (v for u in users_of(page) for v in dealt(page, u)))) == sorted(
            map(repr, values_of(page)))
        assert all(dealt(page, u) for u in users_of(page)), page


def _focal_code(app_db) -> tuple[str, int]:
    """A WCC-2020 Resolution assigned to the demo focal point with no report this year, and its Congress year."""
    with Session(make_engine(app_db)) as s:
        written = select(ProgressReport.resolution_id).where(ProgressReport.year == THIS_YEAR)
        return s.exec(select(Resolution.code, Congress.year).join(Congress).join(FocalPointAssignment)
                      .join(User, User.id == FocalPointAssignment.user_id)
                      .where(User.username == "focal", Congress.code == "WCC-2020", Resolution.id.not_in(written))
                      .order_by(Resolution.code)).first()


def test_a_progress_report_year_outside_the_resolution_years_falls_back_to_this_year(app_db):
    code, congress_year = _focal_code(app_db)
    users = users_of("pages/progress_report.py")
    apps = {user: open_page("pages/progress_report.py", user, query={"code": code, "year": str(THIS_YEAR - 1)})
            for user in users}
    for at in apps.values():
        assert not at.exception and not notices(at)
        assert at.title[0].value.endswith(f"Progress Report {THIS_YEAR - 1}")  # a year in range is kept
    outside = (str(congress_year), str(THIS_YEAR + 1), "9" * 1000)
    for i, value in enumerate(PAGE_VALUES + outside):
        at = apps[users[i % len(users)]]
        visit(at, {"code": code, "year": value})
        assert not at.exception, f"{value!r:.60}: {at.exception}"
        assert at.title[0].value.endswith(f"Progress Report {THIS_YEAR}"), value
        if not _values(value):
            assert not notices(at)
            continue
        assert len(notices(at)) == 1, f"{value!r:.60}: {notices(at)}"
        assert at.query_params["year"] == str(THIS_YEAR), "the URL holds the year shown"
        if i < len(users):
            at.run()  # the next click: the notice is not shown again
            assert not at.exception and not notices(at)


def test_a_focal_point_saving_after_a_refused_year_saves_for_this_year(app_db):
    code, _ = _focal_code(app_db)
    at = open_page("pages/progress_report.py", "focal", query={"code": code, "year": "2039"})
    assert notices(at) == [f"The year in the link must be from 2021 to {THIS_YEAR}; showing {THIS_YEAR} instead."]
    assert at.radio, "the focal point's own Resolution, not written this year: the editor is open"
    at.radio[0].set_value(at.radio[0].options[1])
    next(b for b in at.button if b.label == "Save draft").click().run()
    assert not at.exception and any("Draft saved" in m.value for m in at.success)
    with Session(make_engine(app_db)) as s:
        years = set(s.exec(select(ProgressReport.year).join(Resolution).where(Resolution.code == code)))
    assert THIS_YEAR in years and 2039 not in years


def test_a_valid_link_is_taken_without_a_notice(app_db):
    cases = [
        ("pages/register.py", "admin", {"q": "seabed", "kind": "Resolution", "from": "2000", "to": "2012",
                                         "status": "active"}),
        ("pages/register.py", "leader", {"from": "2012", "to": "2000"}),  # reversed: reset, with a notice
        ("pages/audit_trail.py", "admin", {"since": "2024-01-01", "until": "2024-02-30"}),
        ("pages/report_activity.py", "reporter", {"id": str(ID_MAX)}),  # a valid number, but no such report
        ("pages/coverage.py", "secretariat", {"year": str(THIS_YEAR), "state": ["none", "in_preparation", "none"]}),
    ]
    at = open_page(*cases[0][:2], query=cases[0][2])
    assert not at.exception and not notices(at)
    assert at.session_state["register_years"] == (2000, 2012) and at.session_state["kind"] == ["Resolution"]
    at = open_page(*cases[1][:2], query=cases[1][2])
    assert not at.exception and len(notices(at)) == 1 and "end before they start" in notices(at)[0]
    at = open_page(*cases[2][:2], query=cases[2][2])
    assert not at.exception and at.session_state["since"] == date(2024, 1, 1)
    assert at.session_state["until"] is None and len(notices(at)) == 1 and "last day" in notices(at)[0]
    at = open_page(*cases[3][:2], query=cases[3][2])
    assert not at.exception and not notices(at) and "does not exist" in at.error[0].value
    at = open_page(*cases[4][:2], query=cases[4][2])
    assert not at.exception and not notices(at)
    assert at.session_state["year"] == THIS_YEAR and at.session_state["state"] == ["none", "in_preparation"]


def test_the_sign_in_screen_survives_a_hostile_set_password_link(app_db):
    at = open_page(None, None)
    for value in (*PAGE_VALUES, *CONTROL):
        at.query_params.clear()
        if _values(value):
            at.query_params["set_password"] = value
        at.run()
        assert not at.exception, f"{value!r:.60}: {at.exception}"


# -- the parsers, without Streamlit ------------------------------------------------------------------------
@pytest.mark.parametrize("value", CORPUS)
def test_the_parsers_refuse_what_the_pages_cannot_use(value):
    assert bool(url_state.parse_year(value, 2021, THIS_YEAR, THIS_YEAR).problem) == refused("year", value)
    assert bool(url_state.parse_id(value).problem) == refused("id", value)
    assert bool(url_state.parse_text(value, max_len=32).problem) == refused("text:32", value)
    assert bool(url_state.parse_choice(value, ["a", "b"], None).problem) == refused("choice", value)
    assert bool(url_state.parse_date(value, date(2000, 1, 1), date(2100, 12, 31)).problem) == refused("date", value)
    for reading in (url_state.parse_year(value, 2021, THIS_YEAR, THIS_YEAR), url_state.parse_id(value),
                    url_state.parse_text(value, max_len=32), url_state.parse_choice(value, ["a"], None)):
        assert reading.problem is None or all(v not in reading.problem for v in _values(value) if len(v) > 4)


def test_the_parsers_keep_good_values():
    assert url_state.parse_year("2024", 2021, 2026, 2026).value == 2024
    assert url_state.parse_year("2039", 2021, 2026, 2026).value == 2026
    assert url_state.parse_year("2023", 2021, 2026, 2026, years=[2021, 2024]).problem
    assert url_state.parse_id(str(ID_MAX)).value == ID_MAX and url_state.parse_id(str(ID_MAX + 1)).value is None
    assert url_state.parse_id(["7", "7"]).value == 7
    assert url_state.parse_text("WCC-2020-Res-001", max_len=32).value == "WCC-2020-Res-001"
    assert url_state.parse_text("a\x00b\x0bc").value == "abc"
    rtl = "مرحبا \u200fok\u200e"
    assert url_state.parse_text(rtl) == url_state.Reading(rtl)
    assert url_state.parse_choices(["b", "z", "a", "b"], ["a", "b"]).value == ["b", "a"]
    assert url_state.parse_choices(["b", "a"], ["a", "b"]).problem is None
    assert url_state.parse_date("2024-02-29", date(2000, 1, 1), date(2100, 1, 1)).value == date(2024, 2, 29)
    assert url_state.parse_date("1999-12-31", date(2000, 1, 1), date(2100, 1, 1)).value is None


def test_every_id_the_parser_accepts_fits_the_database(engine):
    """On both databases: the largest id a link may hold is looked up (no such report), one more is refused
    by the parser before any query (PostgreSQL raises 'integer out of range' on it)."""
    from services import activity_reports
    from services.errors import NotFound
    from tests import factories as f

    with Session(engine) as s:
        actor = f.actor(s, f.user(s, "rosa", ("reporter",)))
        s.commit()
        assert url_state.parse_id(str(ID_MAX)).value == ID_MAX
        for read in (activity_reports.get_report, activity_reports.prefill_from):
            with pytest.raises(NotFound):
                read(session=s, actor=actor, report_id=ID_MAX)
    assert url_state.parse_id(str(ID_MAX + 1)).value is None


def test_a_new_link_to_the_page_one_is_on_is_read(app_db):
    """A link (st.switch_page with parameters, an edited address) to a page already open in the session is
    read again; a widget change afterwards keeps the rest of the link."""
    at = open_page("pages/register.py", "reporter", query={"kind": "Resolution"})
    assert at.session_state["kind"] == ["Resolution"]
    at.query_params.clear()
    at.query_params["congress"] = "WCC-2020"  # what body_of_policy's click on a Congress sends
    at.run()
    assert not at.exception and at.session_state["congress"] == ["WCC-2020"] and at.session_state["kind"] == []
    at.multiselect(key="kind").set_value(["Recommendation"]).run()
    assert at.session_state["congress"] == ["WCC-2020"] and at.session_state["kind"] == ["Recommendation"]
    assert at.query_params["congress"] == "WCC-2020" and at.query_params["kind"] == "Recommendation"
    at.run()  # nothing new in the URL: the widgets keep their values
    assert at.session_state["kind"] == ["Recommendation"] and not notices(at)
