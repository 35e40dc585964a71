"""The tables the pages show and offer as files, declared once: each column's header (the same on screen,
through ui/tables.py, and in the CSV and Excel files, through services/tabular.py) and its kind, so a count
is written as a number and a share as a percentage. Also what each workbook says it holds and under which
filters."""

from collections.abc import Sequence
from datetime import datetime

import pandas as pd

from analytics import body_of_policy as bp
from analytics import yearly_analysis as ya
from services.tabular import DATE, DATETIME, INTEGER, PERCENT, Column, Table, excel_bytes


def _count(key: str = "count", label: str = "Resolutions", help: str = "") -> Column:
    return Column(key, label, INTEGER, help=help)


STATUS = Column("status", "Status", help="Implementation status in the published Progress Report")

# -- yearly analysis: by the sheet names of analytics/yearly_analysis.analysis_tables -----------------------
# "Status change" (a status x status matrix) is not declared: its headers are already the statuses.
ANALYSIS_COLUMNS: dict[str, tuple[Column, ...]] = {
    "Headline": (Column("figure", "Figure", width="large"), _count("value", "Number"),
                 Column("share", "Share of the Resolutions in force", PERCENT)),
    "Status": (STATUS, _count(), Column("share", "Share of the Resolutions", PERCENT)),
    "Change since last year": (Column("change", "Change since last year"), _count()),
    "Status over the years": (Column("year", "Year", INTEGER), STATUS, _count(),
                              Column("share", "Share of the year's Resolutions", PERCENT)),
    "Reporting coverage": (Column("year", "Year", INTEGER), Column("category", "Progress Report"), _count()),
    "Status by theme": (Column("theme", "Theme"), STATUS, _count(),
                        Column("share", "Share of the theme's Resolutions", PERCENT)),
    "By component kind": (Column("component_kind", "Kind of component"), _count("count", "Activity Reports")),
    "By action type": (Column("action_type", "Type of action"),
                       _count("count", "Activity Reports", help="A report may name several types of action")),
    "By region": (Column("region", "IUCN region"), _count("count", "Activity Reports")),
    "Challenges": (Column("challenge", "Challenge"), _count("count", "Progress Reports"),
                   Column("share", "Share of the published Progress Reports", PERCENT)),
    "Solutions by challenge": (Column("challenge", "Challenge"), _count("reports", "Progress Reports"),
                               Column("solutions", "Solutions proposed", width="large")),
    "Challenges and solutions": (Column("code", "Resolution"), Column("title", "Title", width="large"), STATUS,
                                 Column("challenge_categories", "Kinds of challenge"),
                                 Column("challenges", "Challenges", width="large"),
                                 Column("solutions", "Solutions proposed", width="large")),
}


def analysis_tables(sections: ya.Sections) -> dict[str, Table]:
    """Every table of the analysis, under its sheet name, in document order, with its headers."""
    return {name: Table(name, frame, ANALYSIS_COLUMNS.get(name, ())) for name, frame in sections.tables.items()}


def analysis_title(sections: ya.Sections) -> str:
    return f"Yearly analysis — {sections.congress_label}, reporting year {sections.year}"


def analysis_workbook(sections: ya.Sections, *, narrative: Sequence[tuple[str, str]], note: str,
                      generated_at: datetime | None = None) -> bytes:
    """The analysis as a workbook: the narrative the reader sees ((heading, text) pairs) with its `note`
    (published when, or not yet) on the first sheet, then one sheet per table."""
    return excel_bytes(analysis_tables(sections).values(), title=analysis_title(sections),
                       filters=(f"Congress: {sections.congress_title} ({sections.congress})",
                                f"Reporting year: {sections.year}"),
                       generated_at=generated_at, narrative=narrative, note=note)


# -- body of policy -------------------------------------------------------------------------------------------
BODY_TITLE = "Body of policy — Resolutions and Recommendations adopted since 1948"
PER_CONGRESS_COLUMNS = (
    Column("code", "Code"), Column("label", "Congress", width="medium"), Column("kind", "Kind of Congress"),
    Column("session", "Session", INTEGER), Column("city", "City"), Column("country", "Country"),
    Column("year", "Year", INTEGER), _count("resolutions", "Resolutions"),
    _count("recommendations", "Recommendations"), _count("active", "Active"), _count("archived", "Archived"),
    _count("register_total", "In the register"),
    _count("reference_count", "Published figure", help="R&R adopted, from public sources (reference data)"),
    _count("shown_total", "Count on the chart", help="The register's count, or the published figure where the "
                                                      "register holds none"),
    Column("agrees", "Agree", help="Register count equals the published figure"),
    Column("source", "Figure shown", help="Register, or the published reference figure where the register "
                                          "holds none"),
)
BY_THEME_COLUMNS = (
    Column("theme", "Theme"), Column("parent", "Under"), Column("framework", "Framework"), Column("kind", "Kind"),
    _count("active", "Active"), _count("archived", "Archived"), _count("total", "Total"),
)


def per_congress_table(per_congress: pd.DataFrame) -> Table:
    """bp.per_congress with whether the register agrees with the published figure said in words."""
    agrees = per_congress["agrees_with_reference"].map({True: "Yes", False: "No"}).fillna("—")
    return Table("Adopted per Congress", per_congress.assign(agrees=agrees), PER_CONGRESS_COLUMNS)


def body_tables(*, per_congress: pd.DataFrame, by_theme: pd.DataFrame) -> list[Table]:
    """The page's tables for downloads (bp.tables' names), with their headers."""
    names = list(bp.tables(per_congress=per_congress, by_theme=by_theme))
    return [per_congress_table(per_congress), Table(names[1], by_theme, BY_THEME_COLUMNS)]


def body_filters(flt: bp.BodyFilter, *, first_year: int, last_year: int) -> list[str]:
    """The filters of the body of policy in words, for a workbook's title block."""
    said = []
    if flt.kinds:
        said.append("Kind: " + ", ".join(flt.kinds))
    if flt.themes:
        said.append("Themes: " + ", ".join(flt.themes))
    if flt.year_from is not None or flt.year_to is not None:
        said.append(f"Congresses held between {flt.year_from or first_year} and {flt.year_to or last_year}")
    return said


# -- coverage ---------------------------------------------------------------------------------------------
MISSING_COLUMNS = (
    Column("code", "Code", width="medium"), Column("title", "Title", width="large"),
    Column("state", "Progress Report"), Column("focal_points", "Focal points"), Column("focal_emails", "Emails"),
    Column("last_reminded_at", "Last reminder", DATETIME, help="When the last reminder naming it went (UTC)"),
)


def missing_reports_table(missing: pd.DataFrame) -> Table:
    return Table("Missing Progress Reports", missing, MISSING_COLUMNS)


# -- my reports (the page builds the table under these headers) -----------------------------------------------
MY_REPORTS_COLUMNS = (
    Column("Report", "Report", INTEGER, width="small"), Column("Title", "Title", width="large"),
    Column("State", "State"), Column("Resolutions", "Resolutions"), Column("Period", "Period"),
    Column("Last change", "Last change", DATE),
    Column("Cited in Progress Reports", "Cited in Progress Reports",
           help="The Progress Reports (Resolution, year) that draw on this report"),
    Column("Return comment", "Return comment", width="large"),
)


def my_reports_table(shown: pd.DataFrame) -> Table:
    """The My reports table as shown (a column may be left out, such as an empty Return comment)."""
    return Table("My reports", shown, tuple(c for c in MY_REPORTS_COLUMNS if c.key in shown.columns))
