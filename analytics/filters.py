"""The filter every progress figure takes, and how its open choices (Congress, year) are settled.

A filter combines: Congress AND year AND theme AND global-goal target AND kind AND region AND component kind. Within one
field the values are alternatives (themes=("Land", "Water") means tagged Land OR Water).
"""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from db.counting import counted_activity, published
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Congress,
    ProgressReport,
    Resolution,
)


@dataclass(frozen=True)
class ProgressFilter:
    congress: str | None = None  # Congress code such as "WCC-2020"; None = latest Congress with Resolutions
    year: int | None = None  # reporting year; None = latest year with data for that Congress
    themes: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()  # goal target codes (issue 18); an SDG goal takes its targets too
    kinds: tuple[str, ...] = ()  # Resolution / Recommendation
    regions: tuple[str, ...] = ()  # IUCN region of the reporting components
    component_kinds: tuple[str, ...] = ()  # kind of the reporting components
    languages: tuple[str, ...] = ()  # language the reports are written in (db/counting.written_in); () = any
    # The public site's figures (issue 16): unpublished work is not shown (db/counting.py, public=True).
    public: bool = False


def congress_options(*, session: Session) -> pd.DataFrame:
    """Congresses that have Resolutions in the register, newest first (code, label, year)."""
    has_resolutions = select(Resolution.congress_id).distinct()
    rows = session.exec(
        select(Congress.code, Congress.city, Congress.year)
        .where(Congress.id.in_(has_resolutions))
        .order_by(Congress.year.desc(), Congress.session.desc())
    ).all()
    frame = pd.DataFrame(rows, columns=["code", "city", "year"])
    frame["label"] = [f"{r.city} {r.year} ({r.code})" for r in frame.itertuples()]
    return frame


def latest_congress(*, session: Session) -> str | None:
    has_resolutions = select(Resolution.congress_id).distinct()
    return session.exec(
        select(Congress.code).where(Congress.id.in_(has_resolutions))
        .order_by(Congress.year.desc(), Congress.session.desc()).limit(1)
    ).first()


def data_years(*, session: Session, congress: str, public: bool = False) -> list[int]:
    """Years in which the Congress' Resolutions have a published Progress Report or an Activity Report
    that counts (db/counting.py; public: one shown publicly), oldest first. Two small GROUP BY queries
    (the Activity Report one on the submitted_at index)."""
    ids = (
        select(Resolution.id).join(Congress, Congress.id == Resolution.congress_id)
        .where(Congress.code == congress)
    )
    report_years = (
        select(ProgressReport.year.label("year"))
        .where(ProgressReport.resolution_id.in_(ids), published())
        .group_by(ProgressReport.year)
    )
    # Off the state indexes (counted_activity): SQLite then walks the Congress' links and looks each
    # report up by id instead of scanning every submitted report.
    activity_years = (
        select(func.min(ActivityReport.submitted_at), func.max(ActivityReport.submitted_at))
        .join(ActivityReportResolution, ActivityReportResolution.activity_report_id == ActivityReport.id)
        .where(ActivityReportResolution.resolution_id.in_(ids), counted_activity(state_index=False, public=public))
    )
    years = set(session.exec(report_years).all())
    first, last = session.exec(activity_years).one()
    if first is not None:
        years |= set(range(_year_of(first), _year_of(last) + 1))
    return sorted(years)


def _year_of(value) -> int:
    return value.year if isinstance(value, (date, datetime)) else int(str(value)[:4])


def resolve(*, session: Session, flt: ProgressFilter) -> ProgressFilter:
    """The same filter with Congress and year filled: the latest Congress that has Resolutions, and the
    latest year with data for it (the current year when it has none yet)."""
    congress = flt.congress or latest_congress(session=session)
    year = flt.year
    if year is None:
        years = data_years(session=session, congress=congress, public=flt.public) if congress else []
        year = years[-1] if years else datetime.now(UTC).year
    return replace(flt, congress=congress, year=year)

