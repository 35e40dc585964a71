"""No English on a French or Spanish screen (issue 14): every page, for every role that may see it (the demo
user of the role, whose preferred language is set), in French and in Spanish, and signed out (the public pages
and the sign-in screen, with ?lang=). What the code itself writes is collected from each run: titles, headers,
captions, widget labels, help texts, placeholders, options, buttons, tabs, expanders, metric labels, alerts,
table headers and the titles, axis titles, legend names and hover texts of every Plotly chart. Data (anything
stored in the database: Resolution titles, names, report texts) is stripped first. A word of ENGLISH that the
language's own catalogue never uses fails the test, naming the page, the element and its text."""

import json
import re
from functools import lru_cache

import pandas as pd
import pytest
from babel.messages.pofile import read_po
from sqlalchemy import String, select, text
from sqlmodel import SQLModel

import db.models  # noqa: F401 (the tables, for their text columns)
import locales
from db.demo import DEMO_ACCOUNTS
from db.engine import make_engine
from db.vocab import ROLES
from locales import po_path
from services.permissions import Actor, can
from tests.pages.apptest import open_page, signed_in_app
from ui.navigation import PAGES

USER_OF_ROLE = {roles[0]: username for username, _p, _e, roles, _r in DEMO_ACCOUNTS}
LANGUAGES = ("fr", "es")

# Words of the code's English that French and Spanish never write (unless that language's catalogue does,
# as in "Resolutions Tracker" or "IUCN Accounts"). Short words that are also French or Spanish ("a", "on",
# "no", "me", "son") are left out.
ENGLISH = set("""
the and of with your you our their this that these those for from to is are was were be been has have had
not all any each every by or which what when where who how yet will can may must should would could
report reports reported reporting save saved submit submitted filter filters signed sign in out
show shown hide open edit delete download choose select search back next previous status deadline deadlines
published draft review returned focal point points none there than then more only also here other about after
before without between into its it they them we please click page user users name email password account
language settings help mail mails sent send year years resolutions recommendations activity activities progress
overview coverage analysis assigned missing total count people organisation organisations member members
commission commissions secretariat committee committees national regional council congress yearly new add
remove change changes cancel confirm yes keep nothing something everything anyone everyone nobody done
due overdue today week weeks day days month months since until left right first last latest earlier older
newest oldest shows reads read write written wrote sees see own mine theirs whose why because so if else
""".split())
# Plotly's own words in a chart's JSON, not the app's
_PLOTLY_KEYS = ("text",)
# Not words of the interface: icons, Markdown and HTML marks, hover placeholders, URLs, addresses, and codes
# (`code`, {placeholder}, snake_case identifiers such as an audit action), which stay as they are.
_ICON = re.compile(r":material/[a-z0-9_]+:|:[a-z]+\[|\]|\*\*|<[^>]+>|%\{[^}]*\}|https?://\S+|\S+@\S+|`[^`]*`"
                   r"|\{[^{}]*\}|\b[A-Za-z]+(?:_[A-Za-z0-9]+)+\b")
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=None)
def allowed(language: str) -> frozenset[str]:
    """Every word the language's catalogue writes (its msgstr): English words it keeps are no error."""
    with po_path(language).open("rb") as f:
        catalog = read_po(f, locale=language)
    words = set()
    for message in catalog:
        if not message.id:  # the header ("Report-Msgid-Bugs-To", ...)
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        for s in strings:
            words |= {w.lower() for w in _WORD.findall(re.sub(r"\{[^{}]*\}", " ", s or ""))}  # not {no_report}
    return frozenset(words)


@lru_cache(maxsize=None)
def msgids() -> frozenset[str]:
    with po_path("fr").open("rb") as f:
        return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id)


def data_values(url: str) -> list[str]:
    """Every text stored in the database (longest first): data, shown as written, in whatever language. Stored
    vocabulary values ("Completed", "Member") are the code's words, shown translated: not data."""
    engine = make_engine(url)
    values = set()
    try:
        with engine.connect() as c:
            for table in SQLModel.metadata.sorted_tables:
                for column in table.columns:
                    if isinstance(column.type, String) or isinstance(getattr(column.type, "impl", None), String):
                        values |= {v for (v,) in c.execute(select(column).distinct())
                                   if isinstance(v, str) and len(v) >= 3}
    finally:
        engine.dispose()
    return sorted(values - msgids(), key=len, reverse=True)


def _plotly_texts(spec: dict) -> list[str]:
    """The chart's own words: titles (chart, axes, legend, colour bar), trace names, hover templates,
    annotation texts."""
    found = []

    def title(node):
        if isinstance(node, dict):
            t = node.get("title")
            found.append(t.get("text") if isinstance(t, dict) else t)

    layout = spec.get("layout", {})
    title(layout)
    for key, value in layout.items():
        if re.fullmatch(r"[xy]axis\d*|legend|coloraxis\d*", key):
            title(value)
            title(value.get("colorbar") if isinstance(value, dict) else None)
    found += [a.get("text") for a in layout.get("annotations", []) if isinstance(a, dict)]
    for trace in spec.get("data", []):
        found += [trace.get("name"), trace.get("hovertemplate"), trace.get("legendgrouptitle", {}).get("text")]
    return [t for t in found if isinstance(t, str)]


def _table_headers(node) -> list[str]:
    value = getattr(node, "value", None)
    if not isinstance(value, pd.DataFrame):
        return []
    try:
        config = json.loads(node.proto.columns or "{}")
    except (AttributeError, ValueError):
        config = {}
    headers = []
    for column in value.columns:
        setting = config.get(str(column), config.get(f"col:{column}"))
        if isinstance(setting, dict):
            if setting.get("hidden"):
                continue
            headers.append(setting.get("label") or str(column))
        elif setting is None and str(column) in config:
            continue  # None: the column is hidden
        else:
            headers.append(str(column))
    return headers


TEXT_TYPES = {"title", "header", "subheader", "caption", "error", "warning", "info", "success", "toast",
              "exception"}


def screen_texts(at) -> list[tuple[str, str]]:
    """(element kind, text) of everything the code wrote in this run (labels, headings, messages, charts)."""
    found: list[tuple[str, str]] = []

    def walk(node):
        kind = getattr(node, "type", "")
        if kind in TEXT_TYPES and isinstance(getattr(node, "value", None), str):
            found.append((kind, node.value))
        for attribute in ("label", "help", "placeholder"):
            try:
                value = getattr(node, attribute, None)
            except Exception:  # an element without that field
                value = None
            if isinstance(value, str) and value:
                found.append((f"{kind} {attribute}", value))
        try:
            options = getattr(node, "options", None)
        except Exception:
            options = None
        if isinstance(options, list | tuple):
            found.extend((f"{kind} option", o) for o in options if isinstance(o, str))
        if kind == "arrow_data_frame":
            found.extend(("table header", h) for h in _table_headers(node))
        if kind == "plotly_chart":
            spec = json.loads(node.proto.spec or "{}")
            found.extend(("chart", t) for t in _plotly_texts(spec))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def english_left(at, language: str, data: list[str], where: str) -> list[str]:
    """Each text of the run that still holds English, as "page · element: text [words]"."""
    problems = []
    for kind, original in screen_texts(at):
        shown = re.sub(r"\\(.)", r"\1", original)  # Markdown escapes (ui.format.escape_md) undone
        for value in data:
            if value in shown:
                shown = shown.replace(value, " ")
        for cut in re.findall(r"[^·\n]{12,}…", shown):  # data shortened for a label ("WCC-2020-Res-001 · Title…")
            if any(value.startswith(cut.strip()[:-1]) for value in data):
                shown = shown.replace(cut, " ")
        shown = _ICON.sub(" ", shown)
        words = sorted({w for w in (x.lower() for x in _WORD.findall(shown)) if w in ENGLISH} - allowed(language))
        if words:
            problems.append(f"{where} · {kind}: {original!r} {words}")
    return problems


def set_language(url: str, username: str, language: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as c:
            c.execute(text("UPDATE app_user SET language = :language WHERE username = :username"),
                      {"language": language, "username": username})
    finally:
        engine.dispose()


def a_resolution_code(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            return c.execute(text("SELECT code FROM resolution ORDER BY code LIMIT 1")).scalar_one()
    finally:
        engine.dispose()


def _one_english_button():
    import plotly.express as px
    import streamlit as st

    import locales
    from locales import _

    locales.set_language("fr")
    st.title(_("Overview"))
    st.button(_("Sign in"))
    st.button("Save the report")  # the one text left in English
    st.plotly_chart(px.bar(x=[1], y=[2], labels={"x": "Reports", "y": _("Year")}))


def test_the_scan_catches_one_untranslated_button_and_one_axis_title():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_one_english_button).run()
    problems = english_left(at, "fr", [], "a page")
    assert problems == [
        "a page · button label: 'Save the report' ['report', 'save', 'the']",
        "a page · chart: 'Reports' ['reports']",  # the axis title
        "a page · chart: 'Reports=%{x}<br>Année=%{y}<extra></extra>' ['reports']",  # its hover text
    ]


def test_the_sign_in_screen_speaks_the_language_of_the_link(app_db):
    at = signed_in_app(None)
    at.query_params["lang"] = "fr"
    at.run()
    labels = [b.label for b in at.button]
    assert "Se connecter" in labels and "Sign in" not in labels
    assert not english_left(at, "fr", [], "sign-in screen")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_speaks_the_users_language(app_db, role, language):
    username = USER_OF_ROLE[role]
    set_language(app_db, username, language)
    data = data_values(app_db)
    actor = Actor(id=0, username=username, display_name="", roles=frozenset({role}))
    code = a_resolution_code(app_db)
    at = signed_in_app(username, timeout=90)
    # AppTest calls a widget's format_func (which may call _()) in this thread to send the widget's state back:
    # this thread speaks the page's language too, as the browser sends back the option it shows.
    locales.set_language(language)
    at.run()
    assert not at.exception
    problems = english_left(at, language, data, f"{role} landing page")
    for spec in PAGES:
        if not can(actor, spec.action):
            continue
        at.switch_page(spec.path)
        if spec.path == "pages/resolution.py":
            at.query_params["code"] = code
        at.run()
        assert not at.exception, (role, spec.path, at.exception)
        problems += english_left(at, language, data, f"{role} {spec.path}")
    locales.set_language("en")
    assert not problems, f"{len(problems)} texts in English:\n" + "\n".join(problems[:80])


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_out_the_public_pages_and_the_sign_in_screen_speak_the_links_language(app_db, language):
    data = data_values(app_db)
    code = a_resolution_code(app_db)
    problems = []
    for spec in [None, *[p for p in PAGES if p.public]]:
        query = {"lang": language} | ({"code": code} if spec and spec.path == "pages/resolution.py" else {})
        at = open_page(spec.path if spec else None, None, query, timeout=90)
        assert not at.exception
        problems += english_left(at, language, data, f"signed out {spec.path if spec else 'sign-in screen'}")
    assert not problems, f"{len(problems)} texts in English:\n" + "\n".join(problems[:80])
