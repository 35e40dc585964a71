"""Hostile text is never rendered as Markdown (issue 12, point 2).

The MARKUP payloads of tests/payloads.py are written into every kind of user text of a copy of the demo
database (Resolution titles and summaries, Activity Reports, Progress Reports, review comments, component
names, user names and emails, the yearly analysis, access requests, mail); then every page each role may
open is drawn with the query parameters (and table selections) that show those rows, and every string
of the element tree that Streamlit renders as Markdown is checked: no link, image, styled span, icon,
LaTeX, HTML tag or heading made of user text may be left unescaped in it. Text shown as plain text
(st.text, st.code, dataframes, the options of a select box, the value of a text field) is not Markdown
and may, must even, hold the payload exactly as written.
"""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.models import (
    AccessRequest,
    ActivityReport,
    AuditEvent,
    Component,
    Congress,
    FocalPointAssignment,
    OutboxMail,
    ProgressReport,
    ProgressReportRevision,
    Resolution,
    ReviewComment,
    User,
    UserComponent,
    YearlyAnalysis,
)
from services import progress_reports as pr
from services import yearly_analysis
from tests.pages.apptest import APP, session_token, signed_in_app
from tests.payloads import MARKUP, ORDINARY
from ui.auth import SESSION_KEY
from ui.format import escape_md
from ui.navigation import PAGES

YEAR = date.today().year
# Every payload in one text, one per line, so each field shown anywhere carries all of them (the
# "Title / === / not a heading" payload keeps its "===" line of its own).
HOSTILE = "\n".join(MARKUP)
SHORT_HOSTILE = "[Sign in again](http://evil.example/login) ![x](http://evil.example/p.png) :red[Lena]"  # a name

# What must never be left in a Markdown string once escaped characters are taken out: a link or image, a
# coloured span or a Material icon, LaTeX, HTML, and the emphasis and code of the payloads.
RAW_MARKERS = ("](http", "![", ":red[", ":material/warning:", "$\\frac", "$$x^2", "<script", "<img", "<a ",
               "**bold**", "_italic_", "`code`", "~~gone~~")
_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")  # a backslash before ASCII punctuation: taken literally

# Proto fields that Streamlit shows as plain text, never as Markdown: left out of the check.
_PLAIN_FIELDS = {
    "text": {"body"},  # st.text
    "code": {"code_text"},
    "json": {"body"},
    "text_input": {"default", "value", "placeholder"},
    "text_area": {"default", "value", "placeholder"},
    "selectbox": {"options", "default", "raw_value", "placeholder"},
    "multiselect": {"options", "default", "raw_values", "placeholder"},
}
_NEVER_SHOWN = {"id", "form_id", "page", "page_script_hash", "url", "url_path", "query_string", "data",
                "script_hash", "deprecated_page_name"}


def raw_markup(text: str) -> list[str]:
    """The payload markup left unescaped in `text` (a Markdown source): [] when it is inert."""
    literal = _ESCAPED.sub("\x00", text)  # "\[Sign in again\]" keeps no "[" that could open a link
    found = [m for m in RAW_MARKERS if m in literal]
    found += ["=== heading" for line in literal.splitlines() if line.strip() == "==="]
    return found


def test_the_check_refuses_raw_markup_and_accepts_it_escaped():
    for payload in MARKUP:
        assert raw_markup(payload), payload
        assert raw_markup(escape_md(payload)) == [], payload
    assert raw_markup(escape_md(HOSTILE)) == []
    assert raw_markup("**Adopted by** · :material/check_box: a plain title") == []


def test_escape_md_breaks_every_markdown_construct_and_keeps_codes_readable():
    assert escape_md("WCC-2020-Res-001") == "WCC-2020-Res-001"  # a hyphen inside a word means nothing
    assert escape_md(None) == ""
    for text, literal in (("- item", "\\- item"), ("1. first", "1\\. first"), ("# title", "\\# title"),
                          ("---", "\\-\\-\\-"), ("a\n===", "a\n\\=\\=\\="), ("> quote", "\\> quote"),
                          ("www.evil.example", "www\\.evil\\.example"), ("http://x", "http\\://x"),
                          ("[a](b)", "\\[a\\]\\(b\\)"), ("&lt;", "\\&lt;"), ("| a |", "\\| a \\|")):
        assert escape_md(text) == literal, text
    for text in ORDINARY:  # ordinary text loses nothing: only backslashes are added
        assert escape_md(text).replace("\\", "") == text.replace("\\", "")


def _strings(message, skip: set[str], path: str):
    """Every string of a proto message (recursively), with its field path, minus the fields in `skip`."""
    for descriptor, value in message.ListFields():
        name = descriptor.name
        if name in skip or name in _NEVER_SHOWN:
            continue
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if isinstance(item, str):
                yield f"{path}.{name}", item
            elif hasattr(item, "ListFields"):
                yield from _strings(item, set(), f"{path}.{name}")


def markdown_strings(node, path: str = ""):
    """(where, text) for every string of the element tree that may be rendered as Markdown."""
    proto = getattr(node, "proto", None)
    kind = getattr(node, "type", type(node).__name__)
    if proto is not None and hasattr(proto, "ListFields"):
        yield from _strings(proto, _PLAIN_FIELDS.get(kind, set()), f"{path}/{kind}")
    for child in getattr(node, "children", {}).values():
        yield from markdown_strings(child, f"{path}/{kind}")


def leaks(at) -> list[str]:
    """Where the page renders payload markup as Markdown, or links a button to a script."""
    found = [f"{where}: {markup[0]} in {text[:100]!r}" for where, text in markdown_strings(at._tree)
             for markup in [raw_markup(text)] if markup]
    return found + [f"a link button to {button.proto.url!r}" for button in at.get("link_button")
                    if not button.proto.url.lower().startswith(("https://", "http://"))]


SIGN_IN_AGAIN = MARKUP[0]  # the fake "sign in again" link: how a page shows it says how it shows user text


def plain_texts(node):
    """The text of every element shown as plain text: st.text, st.code, text fields, table cells."""
    kind = getattr(node, "type", None)
    if kind in ("text", "code", "text_area", "text_input"):
        yield str(node.value)
    elif kind == "dataframe":
        frame = node.value.select_dtypes(exclude="number")
        yield from (str(v) for column in frame.columns for v in frame[column])
    for child in getattr(node, "children", {}).values():
        yield from plain_texts(child)


def shown(at) -> tuple[int, int, list[str]]:
    """(times the payload is shown escaped in Markdown, times shown as plain text, plain texts over-escaped)."""
    escaped = sum(escape_md(SIGN_IN_AGAIN) in text for _, text in markdown_strings(at._tree))
    plain = [text for text in plain_texts(at._tree) if SIGN_IN_AGAIN in text or "\\[Sign in again" in text]
    over = [text[:80] for text in plain if "\\[Sign in again" in text]
    return escaped, len(plain), over


# -- the hostile database ---------------------------------------------------------------------------------

def poison(url: str) -> dict:
    """Write the payloads into the user text of the demo copy at `url`; return the rows the pages need."""
    engine = make_engine(url)
    with Session(engine) as s:
        s.exec(update(Resolution).values(title=HOSTILE, summary=HOSTILE, text_url="javascript:alert(1)"))
        s.exec(update(ActivityReport).values(title=HOSTILE, description=HOSTILE, results=HOSTILE,
                                             challenges=HOSTILE, partners=HOSTILE, support_needed=HOSTILE))
        s.exec(update(ProgressReport).values(summary=HOSTILE, results=HOSTILE, challenges=HOSTILE,
                                             solutions=HOSTILE))
        s.exec(update(ReviewComment).values(body=HOSTILE))
        for component in s.exec(select(Component)):
            component.name = f"{HOSTILE} {component.id}"  # names are unique
            component.country = HOSTILE
            s.add(component)
        for user in s.exec(select(User)):
            user.display_name = f"{HOSTILE} {user.id}"
            user.email = f"u{user.id}.[sign in](http://evil.example)![x](http://evil.example/p.png)@example.org"
            s.add(user)
        for revision in s.exec(select(ProgressReportRevision)):
            revision.content = {**revision.content, **{k: HOSTILE for k in pr.TEXT_FIELDS}}
            s.add(revision)
        users = {u.username: u for u in s.exec(select(User))}
        latest, previous = s.exec(select(Congress).order_by(Congress.year.desc())).all()[:2]
        congresses = (latest.code, previous.code)
        texts = {f.key: HOSTILE for f in yearly_analysis.NARRATIVE_FIELDS}
        # the latest Congress: a draft only (its author is named); the one before: published (leadership reads it)
        s.add(YearlyAnalysis(congress_id=latest.id, year=YEAR, narrative={"draft": texts}, state="draft",
                             author_id=users["secretariat"].id))
        for year in range(previous.year, YEAR + 1):
            s.add(YearlyAnalysis(congress_id=previous.id, year=year, narrative={"draft": texts, "published": texts},
                                 state="published", author_id=users["secretariat"].id,
                                 published_at=datetime.now(UTC)))
        request = AccessRequest(email="visitor@example.org", name=SHORT_HOSTILE, role="leadership", message=HOSTILE)
        s.add(request)
        s.add(OutboxMail(to_address="visitor@example.org", subject=HOSTILE, body=HOSTILE, last_error=HOSTILE))
        s.add(AuditEvent(user_id=users["admin"].id, action="update", entity="resolution", entity_id="1",
                         before={"title": HOSTILE}, after={"title": HOSTILE + "!"}))

        # the reporter's component gets the returned Activity Report, and a submitted one
        reporter_component = s.exec(select(UserComponent.component_id)
                                    .where(UserComponent.user_id == users["reporter"].id)).first()
        returned = s.exec(select(ActivityReport).where(ActivityReport.state == "returned")).first()
        returned.component_id = reporter_component
        s.add(returned)
        submitted = s.exec(select(ActivityReport).where(ActivityReport.state == "submitted",
                                                        ActivityReport.component_id == reporter_component)).first()
        ids = {"returned": returned.id, "submitted": submitted.id, "access_request": request.id}
        s.commit()

        # Progress Reports of this year: a draft of the focal point returned with a comment (sources to tick),
        # one in review, one published
        was_returned = select(ReviewComment.target_id).where(ReviewComment.target_kind == "progress_report",
                                                             ReviewComment.action == "returned")
        draft = s.exec(select(Resolution.code).join(ProgressReport).join(
            FocalPointAssignment, FocalPointAssignment.resolution_id == Resolution.id).where(
            FocalPointAssignment.user_id == users["focal"].id, ProgressReport.year == YEAR,
            ProgressReport.state == "draft").order_by(ProgressReport.id.in_(was_returned).desc())).first()
        in_review = s.exec(select(Resolution.code).join(ProgressReport).where(
            ProgressReport.year == YEAR, ProgressReport.state == "in_review")).first()
        published = s.exec(select(Resolution.code).join(ProgressReport).where(ProgressReport.revision > 0)
                           .order_by(ProgressReport.year.desc())).first()
    engine.dispose()
    return {"draft": draft, "in_review": in_review, "published": published, "congresses": congresses, **ids}


# -- what to open, and what to do there -----------------------------------------------------------------

ROLES = {"reporter": {"reporter"}, "focal": {"focal_point"}, "secretariat": {"secretariat"},
         "leader": {"leadership"}, "admin": {"admin"}}


def select_row(key_start: str, position: int = 0):
    """An action: select a row of the table whose key starts with `key_start`, as a click would."""
    def select(at) -> None:
        table = next(d for d in at.dataframe if d.key and d.key.startswith(key_start))
        at.session_state[table.key] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    select.__name__ = f"selecting row {position} of {key_start}"
    return select


def my_reports_rows(at) -> list:
    """The actions that select, in My reports, a report returned with a comment and one cited."""
    if not at.dataframe:
        return []
    frame = at.dataframe[0].value
    picks = [i for i, state in enumerate(frame["State"]) if state.startswith("Returned")][:1]
    picks += [i for i, cited in enumerate(frame["Cited in Progress Reports"]) if cited][:1]
    return [select_row("my_reports_table_", i) for i in picks]


def return_first(at) -> None:
    """Review queue: return the first report with a comment (the message then names its author)."""
    next(t for t in at.text_area if t.key and t.key.startswith("comment_")).set_value("Please add the partners.")
    next(b for b in at.button if b.label == "Return with comment").click()


def remove_first_focal_point(at) -> None:
    next(b for b in at.button if b.label == "Remove").click()


def approve_request(request_id: int):
    """An action: open the access request and approve it (the message then names the person)."""
    def approve(at) -> None:
        at.selectbox(key="access_request_id").set_value(request_id).run()
        next(b for b in at.button if b.label == "Approve and create the account").click()
    return approve


def read_first_mail(at) -> None:
    box = next(b for b in at.selectbox if b.label == "Read a mail")
    box.set_value(box.options[0])


def visits(user: str, found: dict) -> list[tuple[str, dict, object]]:
    """(page, query, actions) for every page `user` may open, with the query parameters that show the
    poisoned rows. `actions` (a list, or a function of the drawn page giving the list) are done one at a
    time on the freshly opened page, which is checked again after each."""
    roles = ROLES[user]
    pages = [p.path for p in PAGES if "admin" in roles or p.roles & roles]
    evil = "[x](http://evil.example)"
    detail = {
        "pages/resolution.py": [({"code": found["published"]}, []), ({"code": evil}, [])],
        "pages/progress_report.py": [({"code": code, "year": str(YEAR)}, []) for code in dict.fromkeys(
            (found["draft"], found["in_review"], found["published"], evil)) if code],
        "pages/report_activity.py": [({}, []), ({"id": str(found["returned"])}, []),
                                     ({"id": str(found["submitted"])}, []), ({"from": str(found["submitted"])}, [])],
        "pages/my_reports.py": [({}, my_reports_rows)],
        # a writer sees the draft and its author; a reader the published text
        "pages/analysis.py": [({"congress": found["congresses"][0 if roles & {"secretariat", "admin"} else 1]}, [])],
        "pages/assignments.py": [({"code": found["published"]}, [remove_first_focal_point])],
        "pages/review_queue.py": [({}, [return_first])],
        "pages/users_admin.py": [({}, [select_row("users_table_")])],
        "pages/components_admin.py": [({}, [select_row("org_table_")])],
        "pages/audit_trail.py": [({}, [select_row("audit_events")])],
        "pages/access_requests.py": [({}, [approve_request(found["access_request"])])],
        "pages/sent_mail.py": [({}, [read_first_mail])],
    }
    return [(page, query, actions) for page in pages for query, actions in detail.get(page, [({}, [])])]


def open_at(at, user: str, page: str, query: dict):
    """Open `page` with `query` as a link would; returns the AppTest (a new browser session when the
    query names a filter an earlier page already keeps in the session, which would win over the link)."""
    if any(key in at.session_state for key in query):
        at = signed_in_app(user)
        at.run()
    at.switch_page(page)
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, (page, query, at.exception)
    return at


@pytest.mark.parametrize("user", list(ROLES))
def test_no_page_renders_user_text_as_markdown(app_db, user):
    found = poison(app_db)
    at = signed_in_app(user)
    at.run()  # the landing page, with the sidebar ("Signed in as <display name>")
    assert any("Signed in as" in c.value for c in at.sidebar.caption)
    problems, counts = [], [0, 0]

    def check(where: str) -> None:
        problems.extend(f"{where}: {p}" for p in leaks(at))
        escaped, plain, over = shown(at)
        problems.extend(f"{where}: over-escaped plain text {text!r}" for text in over)
        counts[0] += escaped
        counts[1] += plain

    check("landing page")
    for page, query, actions in visits(user, found):
        at = open_at(at, user, page, query)
        check(f"{page} {query}")
        for action in actions(at) if callable(actions) else actions:
            at = open_at(at, user, page, query)
            action(at)
            at.run()
            assert not at.exception, (page, query, action, at.exception)
            check(f"{page} {query} after {action.__name__}")
    assert not problems, "\n".join(problems)
    # the payloads were really on the pages: escaped in Markdown (the sidebar's name at least), as written
    # in plain text
    assert counts[0] >= 1 and counts[1] >= 1, counts


URL_KEYS = ("code", "year", "id", "from", "to", "congress", "q", "state", "kind", "theme", "region",
            "component_kind", "status", "resolution", "mine", "user", "entity", "action", "since", "until")
# a link, an image and a coloured span in 32 characters: short enough to pass as a Resolution code (the
# pages quote a code they cannot find; longer values are refused without being repeated)
EVIL_URL_VALUE = "[x](http://e)![i](http://e):red["


def test_hostile_links_are_not_echoed_as_markdown(app_db):
    """Every parameter the pages read, set to markup, on every page that reads the link (a new browser
    session each, so the link is what counts): a message quotes the value escaped, if at all."""
    token = session_token("admin")  # one sign-in for all
    problems = []
    for spec in PAGES:
        source = (Path(APP).parent / spec.path).read_text()
        if "url_state" not in source and "query_params" not in source:
            continue  # the page reads no parameter
        at = AppTest.from_file(APP, default_timeout=30)
        at.session_state[SESSION_KEY] = token
        at.run()
        at.switch_page(spec.path)
        for key in URL_KEYS:
            at.query_params[key] = EVIL_URL_VALUE
        at.run()
        assert not at.exception, (spec.path, at.exception)
        problems += [f"{spec.path}: {p}" for p in leaks(at)]
    assert not problems, "\n".join(problems)
