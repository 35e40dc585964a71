"""The tables the pages show and offer as files, declared once: each column's header (the same on screen,
through ui/tables.py, and in the CSV and Excel files, through services/tabular.py) and its kind, so a count
is written as a number and a share as a percentage. Also what each workbook says it holds and under which
filters.

Headers, sheet names and titles are declared in English (N_) and written in the reader's language (issue 14):
services/tabular.py and ui/tables.py translate them where they are written; the analysis' vocabulary values
(statuses, kinds of change, categories) are translated in its tables, codes and written texts stay as stored."""

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from analytics import body_of_policy as bp
from analytics import yearly_analysis as ya
from locales import N_, _
from services.tabular import DATE, DATETIME, INTEGER, PERCENT, Column, Table, excel_bytes


def _count(key: str = "count", label: str = N_("Resolutions"), help: str = "") -> Column:
    return Column(key, label, INTEGER, help=help)


STATUS = Column("status", N_("Status"), help=N_("Implementation status in the published Progress Report"))

# -- yearly analysis: by the sheet names of analytics/yearly_analysis.analysis_tables -----------------------
# "Status change" (a status x status matrix) is not declared: its headers are already the statuses.
ANALYSIS_COLUMNS: dict[str, tuple[Column, ...]] = {
    "Headline": (Column("figure", N_("Figure"), width="large"), _count("value", N_("Number")),
                 Column("share", N_("Share of the Resolutions in force"), PERCENT)),
    "Status": (STATUS, _count(), Column("share", N_("Share of the Resolutions"), PERCENT)),
    "Change since last year": (Column("change", N_("Change since last year")), _count()),
    "Status over the years": (Column("year", N_("Year"), INTEGER), STATUS, _count(),
                              Column("share", N_("Share of the year's Resolutions"), PERCENT)),
    "Reporting coverage": (Column("year", N_("Year"), INTEGER), Column("category", N_("Progress Report")),
                           _count()),
    "Status by theme": (Column("theme", N_("Theme")), STATUS, _count(),
                        Column("share", N_("Share of the theme's Resolutions"), PERCENT)),
    "By component kind": (Column("component_kind", N_("Kind of component")),
                          _count("count", N_("Activity Reports"))),
    "By action type": (Column("action_type", N_("Type of action")),
                       _count("count", N_("Activity Reports"),
                              help=N_("A report may name several types of action"))),
    "By region": (Column("region", N_("IUCN region")), _count("count", N_("Activity Reports"))),
    "Challenges": (Column("challenge", N_("Challenge")), _count("count", N_("Progress Reports")),
                   Column("share", N_("Share of the published Progress Reports"), PERCENT)),
    "Solutions by challenge": (Column("challenge", N_("Challenge")), _count("reports", N_("Progress Reports")),
                               Column("solutions", N_("Solutions proposed"), width="large")),
    "Challenges and solutions": (Column("code", N_("Resolution")), Column("title", N_("Title"), width="large"), STATUS,
                                 Column("challenge_categories", N_("Kinds of challenge")),
                                 Column("challenges", N_("Challenges"), width="large"),
                                 Column("solutions", N_("Solutions proposed"), width="large")),
}


# The columns of the analysis' tables that hold a vocabulary's English label: shown in the reader's language.
_VOCABULARY = ("status", "change", "category", "theme", "component_kind", "action_type", "region", "challenge")
# Sheet names as translated (Excel: 31 characters at most; services.tabular cuts a longer one).
ANALYSIS_SHEETS = (N_("Headline"), N_("Status"), N_("Status change"), N_("Change since last year"),
                   N_("Status over the years"), N_("Reporting coverage"), N_("Status by theme"),
                   N_("By component kind"), N_("By action type"), N_("By region"), N_("Challenges"),
                   N_("Solutions by challenge"), N_("Challenges and solutions"))


def _translated(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its vocabulary values in the reader's language (the status matrix: its first column and
    its headers)."""
    if name == "Status change":  # statuses down the first column and across the headers
        frame = frame.assign(**{frame.columns[0]: frame.iloc[:, 0].map(_)})
        return frame.rename(columns={c: _(c) for c in frame.columns[1:]})
    changes = {key: frame[key].map(lambda v: _(v) if isinstance(v, str) else v)
               for key in _VOCABULARY if key in frame.columns}
    if "challenge_categories" in frame.columns:
        changes["challenge_categories"] = frame["challenge_categories"].map(
            lambda v: "; ".join(_(c) for c in v.split("; ")) if isinstance(v, str) and v else v)
    return frame.assign(**changes) if changes else frame


def analysis_tables(sections: ya.Sections) -> dict[str, Table]:
    """Every table of the analysis, under its English sheet name (the key pages look tables up by), in document
    order, with its headers; each Table is named, and its vocabulary shown, in the reader's language."""
    return {name: Table(_(name), _translated(name, frame), ANALYSIS_COLUMNS.get(name, ()))
            for name, frame in sections.tables.items()}


def analysis_title(sections: ya.Sections) -> str:
    return _("Yearly analysis — {congress}, reporting year {year}").format(congress=sections.congress_label,
                                                                           year=sections.year)


def analysis_workbook(sections: ya.Sections, *, narrative: Sequence[tuple[str, str]], note: str,
                      generated_at: datetime | None = None) -> bytes:
    """The analysis as a workbook: the narrative the reader sees ((heading, text) pairs) with its `note`
    (published when, or not yet) on the first sheet, then one sheet per table."""
    return excel_bytes(analysis_tables(sections).values(), title=analysis_title(sections),
                       filters=(_("Congress: {title} ({code})").format(title=sections.congress_title,
                                                                       code=sections.congress),
                                _("Reporting year: {year}").format(year=sections.year)),
                       generated_at=generated_at, narrative=narrative, note=note)


# -- body of policy -------------------------------------------------------------------------------------------
BODY_TITLE = "Body of policy — Resolutions and Recommendations adopted since 1948"
PER_CONGRESS_COLUMNS = (
    Column("code", N_("Code")), Column("label", N_("Congress"), width="medium"),
    Column("kind", N_("Kind of Congress")),
    Column("session", N_("Session"), INTEGER), Column("city", N_("City")), Column("country", N_("Country")),
    Column("year", N_("Year"), INTEGER), _count("resolutions", N_("Resolutions")),
    _count("recommendations", N_("Recommendations")), _count("active", N_("Active")),
    _count("archived", N_("Archived")),
    _count("register_total", N_("In the register")),
    _count("reference_count", N_("Published figure"),
           help=N_("R&R adopted, from public sources (reference data)")),
    _count("shown_total", N_("Count on the chart"),
           help=N_("The register's count, or the published figure where the register holds none")),
    Column("agrees", N_("Agree"), help=N_("Register count equals the published figure")),
    Column("source", N_("Figure shown"),
           help=N_("Register, or the published reference figure where the register holds none")),
)
BY_THEME_COLUMNS = (
    Column("theme", N_("Theme")), Column("parent", N_("Under")), Column("framework", N_("Framework")),
    Column("kind", N_("Kind")),
    _count("active", N_("Active")), _count("archived", N_("Archived")), _count("total", N_("Total")),
)


def per_congress_table(per_congress: pd.DataFrame) -> Table:
    """bp.per_congress with whether the register agrees with the published figure said in words."""
    agrees = per_congress["agrees_with_reference"].map({True: _("Yes"), False: _("No")}).fillna("—")
    return Table(_("Adopted per Congress"), per_congress.assign(agrees=agrees), PER_CONGRESS_COLUMNS)


def body_tables(*, per_congress: pd.DataFrame, by_theme: pd.DataFrame) -> list[Table]:
    """The page's tables for downloads (bp.tables' names), with their headers."""
    names = list(bp.tables(per_congress=per_congress, by_theme=by_theme))
    # Themes, their parent, classification and kind in the reader's language, as on the page.
    shown = by_theme.assign(**{c: by_theme[c].map(lambda v: _(v) if isinstance(v, str) and v else v)
                               for c in ("theme", "parent", "framework", "kind")})
    return [per_congress_table(per_congress), Table(_(names[1]), shown, BY_THEME_COLUMNS)]


def body_filters(flt: bp.BodyFilter, *, first_year: int, last_year: int) -> list[str]:
    """The filters of the body of policy in words, for a workbook's title block."""
    said = []
    if flt.kinds:
        said.append(_("Kind: {kinds}").format(kinds=", ".join(_(k) for k in flt.kinds)))
    if flt.themes:
        said.append(_("Themes: {themes}").format(themes=", ".join(_(t) for t in flt.themes)))
    if flt.year_from is not None or flt.year_to is not None:
        said.append(_("Congresses held between {first} and {last}").format(first=flt.year_from or first_year,
                                                                           last=flt.year_to or last_year))
    return said


# -- coverage ---------------------------------------------------------------------------------------------
MISSING_COLUMNS = (
    Column("code", N_("Code"), width="medium"), Column("title", N_("Title"), width="large"),
    Column("state", N_("Progress Report")), Column("focal_points", N_("Focal points")),
    Column("focal_emails", N_("Emails")),
    Column("last_reminded_at", N_("Last reminder"), DATETIME,
           help=N_("When the last reminder naming it went (UTC)")),
)


def missing_reports_table(missing: pd.DataFrame) -> Table:
    return Table(_("Missing Progress Reports"), missing, MISSING_COLUMNS)


# -- my reports (the page builds the table under these headers) -----------------------------------------------
MY_REPORTS_COLUMNS = (
    Column("Report", N_("Report"), INTEGER, width="small"), Column("Title", N_("Title"), width="large"),
    Column("State", N_("State")), Column("Resolutions", N_("Resolutions")), Column("Period", N_("Period")),
    Column("Last change", N_("Last change"), DATE),
    Column("Language", N_("Language")),  # the report's own (issue 14)
    Column("Cited in Progress Reports", N_("Cited in Progress Reports"),
           help=N_("The Progress Reports (Resolution, year) that draw on this report")),
    Column("Return comment", N_("Return comment"), width="large"),
)


def my_reports_table(shown: pd.DataFrame) -> Table:
    """The My reports table as shown (a column may be left out, such as an empty Return comment)."""
    return Table(_("My reports"), shown, tuple(c for c in MY_REPORTS_COLUMNS if c.key in shown.columns))
