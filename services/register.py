"""The Resolution register: search, filters, the detail of one Resolution, archiving."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from db.counting import counted_activity, reporting_state, tagged_with, tagged_with_targets
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    Resolution,
    ResolutionTheme,
    Theme,
    User,
    utcnow,
)
from db.sql import string_agg
from locales import _
from services import audit, text_rules
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require
from services.register_file import web_address

REGISTER_COLUMNS = ["code", "title", "kind", "congress", "year", "themes", "status", "latest_status",
                    "latest_year"]


@dataclass
class RegisterFilter:
    q: str = ""
    congresses: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # goal target codes (issue 18); an SDG goal takes its targets
    status: str | None = None  # active, archived, or None for both
    year_from: int | None = None
    year_to: int | None = None


def congress_options(*, session: Session) -> pd.DataFrame:
    """Congresses with how many Resolutions the register holds for each, newest first."""
    count = func.count(Resolution.id)
    rows = session.exec(
        select(Congress.code, Congress.kind, Congress.city, Congress.year, count.label("resolutions"))
        .join(Resolution, Resolution.congress_id == Congress.id, isouter=True)
        .group_by(Congress.id)
        .order_by(Congress.year.desc())
    ).all()
    return pd.DataFrame(rows, columns=["code", "kind", "city", "year", "resolutions"])


def theme_names(*, session: Session) -> list[str]:
    return list(session.exec(select(Theme.name).order_by(Theme.sort_order)))


def _filtered(query, flt: RegisterFilter):
    for word in text_rules.search_text(flt.q).split():
        pattern = f"%{word}%"
        query = query.where(or_(Resolution.code.ilike(pattern), Resolution.title.ilike(pattern)))
    if flt.congresses:
        query = query.where(Congress.code.in_(flt.congresses))
    if flt.kinds:
        query = query.where(Resolution.kind.in_(flt.kinds))
    if flt.status:
        query = query.where(Resolution.status == flt.status)
    if flt.year_from is not None:
        query = query.where(Congress.year >= flt.year_from)
    if flt.year_to is not None:
        query = query.where(Congress.year <= flt.year_to)
    if flt.themes:
        query = query.where(tagged_with(flt.themes))
    if flt.targets:
        query = query.where(tagged_with_targets(flt.targets))
    return query


def search_resolutions(*, session: Session, flt: RegisterFilter) -> pd.DataFrame:
    """One row per matching Resolution, with its themes and latest published status (all in SQL)."""
    dialect = session.get_bind().dialect.name
    themes = (
        select(ResolutionTheme.resolution_id, string_agg(dialect, Theme.name, "; ").label("names"))
        .join(Theme)
        .group_by(ResolutionTheme.resolution_id)
        .subquery()
    )
    latest_year = (
        select(ProgressReport.resolution_id, func.max(ProgressReport.year).label("year"))
        .where(ProgressReport.published_status.is_not(None))
        .group_by(ProgressReport.resolution_id)
        .subquery()
    )
    query = (
        select(
            Resolution.code, Resolution.title, Resolution.kind, Congress.code, Congress.year,
            themes.c.names, Resolution.status, ProgressReport.published_status, latest_year.c.year,
        )
        .join(Congress, Resolution.congress_id == Congress.id)
        .join(themes, themes.c.resolution_id == Resolution.id, isouter=True)
        .join(latest_year, latest_year.c.resolution_id == Resolution.id, isouter=True)
        .join(ProgressReport, and_(ProgressReport.resolution_id == Resolution.id,
                                   ProgressReport.year == latest_year.c.year), isouter=True)
        .order_by(Congress.year.desc(), Resolution.number)
    )
    rows = session.exec(_filtered(query, flt)).all()
    frame = pd.DataFrame(rows, columns=REGISTER_COLUMNS)
    # A Resolution without a theme gets "" (not a missing value); names sorted for a stable display.
    frame["themes"] = frame["themes"].map(lambda s: "; ".join(sorted(s.split("; "))) if isinstance(s, str) else "")
    frame["latest_year"] = frame["latest_year"].astype("Int64")
    return frame


def resolution_detail(*, session: Session, code: str) -> dict:
    """Everything the detail view shows about one Resolution."""
    key = text_rules.lookup_key(code, max_len=32)  # a NUL would be a raw database error, not "no Resolution"
    found = session.exec(
        select(Resolution, Congress).join(Congress).where(Resolution.code == key)
    ).first() if key else None
    if found is None:
        raise NotFound(_("No Resolution with code {code}.").format(code=code))
    resolution, congress = found
    themes = list(session.exec(
        select(Theme.name).join(ResolutionTheme).where(ResolutionTheme.resolution_id == resolution.id)
        .order_by(Theme.sort_order)
    ))
    focal_points = session.exec(
        select(User.display_name, User.email, FocalPointAssignment.since)
        .join(FocalPointAssignment, FocalPointAssignment.user_id == User.id)
        .where(FocalPointAssignment.resolution_id == resolution.id)
        .order_by(User.display_name)
    ).all()
    progress = session.exec(
        select(ProgressReport.year, ProgressReport.state, ProgressReport.published_status,
               ProgressReport.status, User.display_name, ProgressReport.published_at, reporting_state())
        .join(User, User.id == ProgressReport.author_id)
        .where(ProgressReport.resolution_id == resolution.id)
        .order_by(ProgressReport.year.desc())
    ).all()
    activities = session.exec(
        select(ActivityReport.id, ActivityReport.title, Component.name, ActivityReport.action_status,
               ActivityReport.period_start, ActivityReport.period_end, ActivityReport.submitted_at)
        .join(ActivityReportResolution)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(ActivityReportResolution.resolution_id == resolution.id)
        .where(counted_activity())  # drafts stay with their authors; a correction replaces the original
        .order_by(ActivityReport.submitted_at.desc())
    ).all()
    return {
        "code": resolution.code,
        "title": resolution.title,
        "kind": resolution.kind,
        "number": resolution.number,
        "status": resolution.status,
        "archived_on": resolution.archived_on,
        "summary": resolution.summary,
        "text_url": web_address(resolution.text_url),  # only an http(s) link, never javascript: and the like
        "congress": {
            "code": congress.code, "kind": congress.kind, "session": congress.session,
            "city": congress.city, "country": congress.country, "year": congress.year,
            "start_date": congress.start_date, "end_date": congress.end_date,
        },
        "themes": themes,
        "focal_points": pd.DataFrame(focal_points, columns=["name", "email", "since"]),
        "progress_reports": pd.DataFrame(
            progress, columns=["year", "state", "published_status", "working_status", "author", "published_at",
                               "reporting_state"]
        ),
        "activity_reports": pd.DataFrame(
            activities, columns=["id", "title", "component", "action_status", "start", "end", "submitted_at"]
        ),
    }


def set_resolution_status(
    *, session: Session, actor: Actor, code: str, status: str, archived_on: date | None = None
) -> None:
    """Archive a Resolution (its main actions are done or it is obsolete) or make it active again."""
    require(actor, "register.edit")
    key = text_rules.lookup_key(code, max_len=32)
    resolution = session.exec(select(Resolution).where(Resolution.code == key)).first() if key else None
    if resolution is None:
        raise NotFound(_("No Resolution with code {code}.").format(code=code))
    if status == "archived" and archived_on is None:
        raise ValidationFailed([FieldError("archived_on", _("give the date it was archived"))])
    before = {"status": resolution.status, "archived_on": resolution.archived_on}
    resolution.status = status
    resolution.archived_on = archived_on if status == "archived" else None
    resolution.updated_at = utcnow()
    audit.record(session, actor=actor, action="update", entity="resolution", entity_id=code,
                 before=before, after={"status": resolution.status, "archived_on": resolution.archived_on})
