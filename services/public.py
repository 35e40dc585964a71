"""What the public may see: THE one place that says it, for the public pages, the open-data API and the
bulk downloads. Read-only, no sign-in, no Streamlit.

The rule:
- the Resolution register is public (Congresses, Resolutions, their themes, lifecycle and text link);
- of a Progress Report, only its published version (the latest revision): never a draft, a report in
  review or returned, nor the text of a correction being drafted (readers see the last publication);
- of Activity Reports, only those that count (db/counting.counted_activity: submitted, the newest version)
  and whose component chose "may be shown publicly" (ActivityReport.shown_publicly);
- never a person: no author, publisher, focal point, user name or e-mail address;
- the status figures are those of the Overview under ProgressFilter(public=True), where a year without a
  published Progress Report is "No Progress Report" (db/counting.py says why).

Every function returns plain dicts and lists (JSON-ready apart from dates) and raises
services.errors.ValidationFailed for a filter value that cannot match (an unknown Congress, kind, theme or
status), so a page and the API refuse it with the same message.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import and_, func
from sqlmodel import Session, select

from analytics import progress
from analytics.filters import ProgressFilter
from db import vocab
from db.counting import counted_activity
from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportResolution,
    Component,
    Congress,
    GoalTarget,
    ProgressReport,
    ProgressReportComponent,
    ProgressReportRevision,
    Resolution,
    ResolutionTarget,
    ResolutionTheme,
    Theme,
    as_utc,
)
from services import paragraphs, text_rules
from services.errors import FieldError, ValidationFailed
from services.register import RegisterFilter, search_resolutions, theme_names
from services.register_file import web_address

MAX_LIMIT = 500  # the most rows one page of a list holds
# The published text of a Progress Report, in the editor's order (services/report_fields.PROGRESS).
REPORT_TEXTS = ("summary", "results", "challenges", "solutions")
# A Resolution's status filter: its lifecycle (as the register's), or its latest published implementation
# status (NEVER_PUBLISHED when nothing was published); the two vocabularies share no value.
RESOLUTION_STATUS_FILTERS = (*vocab.RESOLUTION_STATUSES, *vocab.IMPLEMENTATION_STATUSES, vocab.NEVER_PUBLISHED)


# -- filters ------------------------------------------------------------------------------------------------
def _values(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """A filter given as one value or several (alternatives), blanks dropped."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(str(v).strip() for v in items if v is not None and str(v).strip()))


def _check(field: str, values: tuple[str, ...], known: Iterable[str], noun: str, errors: list[FieldError]) -> None:
    known = list(known)
    unknown = [v for v in values if v not in known]
    if unknown:
        listed = ", ".join(known) if len(known) <= 12 else f"{', '.join(known[:12])}, …"
        errors.append(FieldError(field, f"Unknown {noun} {text_rules.shown(unknown[0])!r}; one of: {listed}."))


def _congress_codes(session: Session) -> list[str]:
    return list(session.exec(select(Congress.code).order_by(Congress.year.desc(), Congress.session.desc())))


def _page(limit: int, offset: int, errors: list[FieldError]) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"limit must be between 1 and {MAX_LIMIT}."))
    if offset < 0:
        errors.append(FieldError("offset", "offset must be 0 or more."))


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _plain(value: Any) -> Any:
    """A value read through pandas as a plain Python value (NaN / NA -> None, numpy ints -> int)."""
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


# -- the register ---------------------------------------------------------------------------------------
def congresses(session: Session) -> list[dict]:
    """Every Congress with how many Resolutions the register holds for it, newest first."""
    count = func.count(Resolution.id)
    rows = session.exec(
        select(Congress, count)
        .join(Resolution, Resolution.congress_id == Congress.id, isouter=True)
        .group_by(Congress.id)
        .order_by(Congress.year.desc(), Congress.session.desc())
    ).all()
    return [{"code": c.code, "kind": c.kind, "session": c.session, "extraordinary": c.extraordinary,
             "city": c.city, "country": c.country, "year": c.year, "start_date": c.start_date,
             "end_date": c.end_date, "resolutions": int(n)} for c, n in rows]


def themes(session: Session) -> list[str]:
    return theme_names(session=session)


def goal_targets(session: Session, *, framework: str | None = None) -> list[dict]:
    """The global goals and targets Resolutions are tagged with (issue 18), in reference order; one framework
    (KMGBF, SDG, NATURE2030) when named."""
    errors: list[FieldError] = []
    _check("framework", _values(framework), vocab.GOAL_FRAMEWORKS, "framework", errors)
    _raise(errors)
    query = select(GoalTarget).order_by(GoalTarget.position)
    if framework is not None:
        query = query.where(GoalTarget.framework == framework)
    return [{"code": t.code, "framework": t.framework, "level": t.level, "parent": t.parent_code,
             "number": t.number, "name": t.name, "name_fr": t.name_fr, "name_es": t.name_es}
            for t in session.exec(query).all()]


def _target_codes(session: Session) -> list[str]:
    return list(session.exec(select(GoalTarget.code).order_by(GoalTarget.position)))


def resolutions(session: Session, *, congress=None, kind=None, status=None, theme=None, target=None,
                q: str | None = None, limit: int = 50, offset: int = 0) -> tuple[int, list[dict]]:
    """(total, one page of rows) of the register under the filters, the register's own search
    (services/register.search_resolutions): newest Congress first, then by number. congress, kind, theme and
    status each take one value or several (alternatives); status is a lifecycle (active, archived) or a
    latest published implementation status (RESOLUTION_STATUS_FILTERS); given both, both must hold. target:
    goal target codes (a Resolution tagged with any; an SDG goal takes its targets)."""
    congress, kind, theme, status = _values(congress), _values(kind), _values(theme), _values(status)
    target = _values(target)
    errors: list[FieldError] = []
    _check("congress", congress, _congress_codes(session), "Congress", errors)
    _check("kind", kind, vocab.RESOLUTION_KINDS, "kind", errors)
    _check("theme", theme, theme_names(session=session), "theme", errors)
    _check("target", target, _target_codes(session), "target", errors)
    _check("status", status, RESOLUTION_STATUS_FILTERS, "status", errors)
    _page(limit, offset, errors)
    _raise(errors)
    lifecycle = [s for s in status if s in vocab.RESOLUTION_STATUSES]
    implementation = [s for s in status if s not in vocab.RESOLUTION_STATUSES]
    flt = RegisterFilter(q=q or "", congresses=list(congress), kinds=list(kind), themes=list(theme),
                         targets=list(target), status=lifecycle[0] if len(lifecycle) == 1 else None)
    frame = search_resolutions(session=session, flt=flt)
    if implementation:
        latest = frame["latest_status"].where(frame["latest_status"].notna(), vocab.NEVER_PUBLISHED)
        frame = frame[latest.isin(implementation)]
    page = frame.iloc[offset:offset + limit]
    rows = [{
        "code": r.code, "title": r.title, "kind": r.kind, "congress": r.congress, "year": int(r.year),
        "themes": [t for t in r.themes.split("; ") if t], "status": r.status,
        "latest_status": _plain(r.latest_status), "latest_year": _plain(r.latest_year),
    } for r in page.itertuples()]
    return len(frame), rows


def resolution(session: Session, code: str) -> dict | None:
    """One Resolution as the public sees it, or None when the register has no such code: the register's
    facts, its published Progress Reports by year (newest first), its status timeline (year -> published
    status, oldest first) and the Activity Reports on it that its components chose to show publicly."""
    key = text_rules.lookup_key(code, max_len=32)
    found = session.exec(
        select(Resolution, Congress).join(Congress, Congress.id == Resolution.congress_id)
        .where(Resolution.code == key)
    ).first() if key else None
    if found is None:
        return None
    res, congress = found
    names = list(session.exec(
        select(Theme.name).join(ResolutionTheme, ResolutionTheme.theme_id == Theme.id)
        .where(ResolutionTheme.resolution_id == res.id).order_by(Theme.sort_order)))
    targets = list(session.exec(
        select(ResolutionTarget.target_code).join(GoalTarget, GoalTarget.code == ResolutionTarget.target_code)
        .where(ResolutionTarget.resolution_id == res.id).order_by(GoalTarget.position)))
    reports = _published(session, Resolution.id == res.id, order=(ProgressReport.year.desc(),))
    return {
        "code": res.code, "number": res.number, "kind": res.kind, "title": res.title,
        "congress": {"code": congress.code, "kind": congress.kind, "session": congress.session,
                     "city": congress.city, "country": congress.country, "year": congress.year,
                     "start_date": congress.start_date, "end_date": congress.end_date},
        "themes": names,
        "targets": targets,
        "status": res.status, "archived_on": res.archived_on,
        "summary": res.summary,
        "text_url": web_address(res.text_url),  # only an http(s) link, never javascript: and the like
        "progress_reports": [_without_resolution(r) for r in reports],
        "status_timeline": {r["year"]: r["status"] for r in sorted(reports, key=lambda r: r["year"])},
        "activity_reports": public_activity_reports(session, resolution_ids=[res.id]),
        # its operative paragraphs (public text), each with the Activity Reports shown publicly that name it
        # and its status in the published Progress Reports by year (issue 18)
        "paragraphs": [{k: p[k] for k in ("number", "addressee", "text", "activities", "statuses")}
                       for p in paragraphs.paragraph_view(session=session, code=res.code, public=True)],
    }


def all_resolutions(session: Session) -> list[dict]:
    """Every Resolution of the register with its register facts, for the bulk downloads; newest Congress
    first, then by kind and number."""
    rows = session.exec(
        select(Resolution, Congress.code).join(Congress, Congress.id == Resolution.congress_id)
        .order_by(Congress.year.desc(), Congress.session.desc(), Resolution.kind.desc(), Resolution.number)
    ).all()
    return [{"code": r.code, "number": r.number, "kind": r.kind, "title": r.title, "congress": congress,
             "status": r.status, "archived_on": r.archived_on, "summary": r.summary or "",
             "text_url": web_address(r.text_url)} for r, congress in rows]


def resolution_themes(session: Session) -> list[dict]:
    """Which Resolution carries which theme (one row per pair), for the bulk downloads."""
    rows = session.exec(
        select(Resolution.code, Theme.name, Theme.framework)
        .join(ResolutionTheme, ResolutionTheme.resolution_id == Resolution.id)
        .join(Theme, Theme.id == ResolutionTheme.theme_id)
        .order_by(Resolution.code, Theme.sort_order)
    ).all()
    return [{"resolution": code, "theme": name, "framework": framework} for code, name, framework in rows]


def resolution_targets(session: Session) -> list[dict]:
    """Which Resolution is tagged with which global goal or target (one row per pair, issue 18), for the bulk
    downloads; the target's English name with it."""
    rows = session.exec(
        select(Resolution.code, GoalTarget.code, GoalTarget.framework, GoalTarget.name)
        .join(ResolutionTarget, ResolutionTarget.resolution_id == Resolution.id)
        .join(GoalTarget, GoalTarget.code == ResolutionTarget.target_code)
        .order_by(Resolution.code, GoalTarget.position)
    ).all()
    return [{"resolution": code, "target": target, "framework": framework, "name": name}
            for code, target, framework, name in rows]


def _without_resolution(report: dict) -> dict:
    return {k: v for k, v in report.items() if k not in ("resolution", "resolution_title", "congress")}


# -- Progress Reports -----------------------------------------------------------------------------------
def _published_query(*columns):
    """SELECT columns FROM each Progress Report's latest published revision, with its report, Resolution and
    Congress joined (a Progress Report never published has no revision, so it is never here)."""
    latest = (select(ProgressReportRevision.progress_report_id,
                     func.max(ProgressReportRevision.revision).label("revision"))
              .group_by(ProgressReportRevision.progress_report_id).subquery("latest_revision"))
    return (
        select(*columns).select_from(ProgressReportRevision)
        .join(latest, and_(latest.c.progress_report_id == ProgressReportRevision.progress_report_id,
                           latest.c.revision == ProgressReportRevision.revision))
        .join(ProgressReport, ProgressReport.id == ProgressReportRevision.progress_report_id)
        .join(Resolution, Resolution.id == ProgressReport.resolution_id)
        .join(Congress, Congress.id == Resolution.congress_id)
    )


def _published(session: Session, *conditions, order=(), limit: int | None = None, offset: int = 0) -> list[dict]:
    query = _published_query(Resolution.code, Resolution.title, Congress.code, ProgressReport.year,
                             ProgressReport.state, ProgressReportRevision).where(*conditions)
    query = query.order_by(*order, Congress.year.desc(), Resolution.kind.desc(), Resolution.number, Resolution.id)
    rows = session.exec(query.offset(offset).limit(limit)).all()
    component_names = dict(session.exec(select(Component.id, Component.name)).all())
    # Revisions written before component_ids was kept in the content (the demo data's): the confirmed
    # components, read from the working copy only while it is the published version itself (no correction
    # under way, whose components may differ).
    unrecorded = [rev.progress_report_id for *_, state, rev in rows
                  if "component_ids" not in (rev.content or {}) and state == "published"]
    confirmed: dict[int, list[int]] = {}
    if unrecorded:
        for report_id, component_id in session.exec(
                select(ProgressReportComponent.progress_report_id, ProgressReportComponent.component_id)
                .where(ProgressReportComponent.progress_report_id.in_(unrecorded))):
            confirmed.setdefault(report_id, []).append(component_id)
    out = []
    for code, title, congress, year, _state, rev in rows:
        content = rev.content or {}
        ids = content.get("component_ids", confirmed.get(rev.progress_report_id, []))
        out.append({
            "resolution": code, "resolution_title": title, "congress": congress, "year": year,
            "status": rev.status, "revision": rev.revision, "published_at": as_utc(rev.published_at),
            **{name: content.get(name) or "" for name in REPORT_TEXTS},
            "challenge_categories": list(content.get("challenge_categories") or []),
            "components": sorted(component_names[c] for c in ids or [] if c in component_names),
        })
    return out


def progress_reports(session: Session, *, congress=None, year: int | None = None, status=None, limit: int = 50,
                     offset: int = 0) -> tuple[int, list[dict]]:
    """(total, one page) of published Progress Reports (each its latest published version), newest year
    first, then newest Congress, then by Resolution; congress and status take one value or several."""
    congress, status = _values(congress), _values(status)
    errors: list[FieldError] = []
    _check("congress", congress, _congress_codes(session), "Congress", errors)
    _check("status", status, vocab.IMPLEMENTATION_STATUSES, "status", errors)
    _page(limit, offset, errors)
    _raise(errors)
    conditions = []
    if congress:
        conditions.append(Congress.code.in_(congress))
    if year is not None:
        conditions.append(ProgressReport.year == year)
    if status:
        conditions.append(ProgressReportRevision.status.in_(status))
    total = session.exec(_published_query(func.count()).where(*conditions)).one()
    return int(total), _published(session, *conditions, order=(ProgressReport.year.desc(),), limit=limit,
                                  offset=offset)


def all_published_reports(session: Session) -> list[dict]:
    """Every published Progress Report (latest published version), for the bulk downloads."""
    return _published(session, order=(ProgressReport.year.desc(),))


# -- Activity Reports -----------------------------------------------------------------------------------
def public_activity_reports(session: Session, *, resolution_ids: list[int] | None = None) -> list[dict]:
    """The Activity Reports that count and that their component chose to show publicly, newest first, each
    with the codes of its Resolutions (only those of `resolution_ids` when given, else all); never the
    author. Columns: id, title, component, component_kind, action_status, action_types, period_start,
    period_end, description, results, submitted_at, resolutions."""
    query = (
        select(ActivityReport, Component.name, Component.kind)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(counted_activity(public=True))
        .order_by(ActivityReport.submitted_at.desc(), ActivityReport.id.desc())
    )
    if resolution_ids is not None:
        query = query.where(ActivityReport.id.in_(
            select(ActivityReportResolution.activity_report_id)
            .where(ActivityReportResolution.resolution_id.in_(resolution_ids))))
    rows = session.exec(query).all()
    ids = [report.id for report, *_ in rows]
    codes: dict[int, list[str]] = {}
    types: dict[int, list[str]] = {}
    if ids:
        for report_id, code in session.exec(
                select(ActivityReportResolution.activity_report_id, Resolution.code)
                .join(Resolution, Resolution.id == ActivityReportResolution.resolution_id)
                .where(ActivityReportResolution.activity_report_id.in_(ids)).order_by(Resolution.code)):
            codes.setdefault(report_id, []).append(code)
        for report_id, action_type in session.exec(
                select(ActivityReportActionType.activity_report_id, ActivityReportActionType.action_type)
                .where(ActivityReportActionType.activity_report_id.in_(ids))):
            types.setdefault(report_id, []).append(action_type)
    return [{
        "id": report.id, "title": report.title, "component": name, "component_kind": kind,
        "action_status": report.action_status,
        "action_types": [t for t in vocab.ACTION_TYPES if t in types.get(report.id, [])],
        "period_start": report.period_start, "period_end": report.period_end,
        "description": report.description or "", "results": report.results or "",
        "submitted_at": as_utc(report.submitted_at), "resolutions": codes.get(report.id, []),
    } for report, name, kind in rows]


# -- figures ----------------------------------------------------------------------------------------------
def progress_filter(session: Session, *, congress: str | None = None, year: int | None = None,
                    **choices) -> ProgressFilter:
    """The public ProgressFilter for these choices (public=True), an unknown Congress refused."""
    errors: list[FieldError] = []
    _check("congress", _values(congress), _congress_codes(session), "Congress", errors)
    _raise(errors)
    return ProgressFilter(congress=congress or None, year=year, public=True, **choices)


def status_figures(session: Session, *, congress: str | None = None, year: int | None = None, target=None) -> dict:
    """The Overview's status counts for the public (analytics.progress.status_counts, public=True), with the
    Congress and year they were computed for (the latest when not given, as the Overview picks them); target:
    only the Resolutions tagged with any of these goal targets, as the Overview's filter."""
    target = _values(target)
    errors: list[FieldError] = []
    _check("target", target, _target_codes(session), "target", errors)
    _raise(errors)
    flt = progress.resolve(session=session, flt=progress_filter(session, congress=congress, year=year,
                                                                targets=target))
    counts = progress.status_counts(session=session, flt=flt)
    # In preparation is always 0 here (public=True folds it into No Progress Report): not named at all
    rows = [{"status": r.status, "count": int(r.count), "share": float(r.share)} for r in counts.itertuples()
            if r.status != vocab.IN_PREPARATION]
    return {"congress": flt.congress, "year": flt.year, "total": sum(r["count"] for r in rows), "statuses": rows}


def as_json(value: Any) -> Any:
    """Dates and date-times as ISO text, the rest as it is (recursively): what JSON and CSV files carry."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value
