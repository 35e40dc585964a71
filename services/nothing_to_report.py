""""Nothing to report this year", in one click, with an optional reason; undoable.

- A focal point says it for a Resolution assigned to them (the year's Progress Report): the Resolution
  counts as answered in coverage (db/counting.reporting_state: "nothing_to_report") and its focal points
  are no longer reminded. Refused once the year's report is in review or published: it answers already.
- A component says it for a Resolution it reported on the year before: its members are no longer reminded
  of that Resolution for the year (services/reminders.py).
Undo deletes the statement. Both are audited.
"""

from sqlalchemy import and_
from sqlmodel import Session, select

from db.counting import counted_activity_in
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    FocalPointAssignment,
    NothingToReport,
    ProgressReport,
    Resolution,
)
from locales import _
from services import audit, progress_reports
from services.activity_reports import reporting_components
from services.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.permissions import Actor

REASON_MAX = 1000


def _resolution(session: Session, code: str) -> Resolution:
    resolution = session.exec(select(Resolution).where(Resolution.code == code)).first()
    if resolution is None:
        raise NotFound(_("There is no Resolution {code}.").format(code=code))
    return resolution


def _check(session: Session, actor: Actor, resolution: Resolution, component_id: int | None) -> None:
    if component_id is None:
        if not progress_reports.may_write(session, actor, resolution.id):
            raise PermissionDenied(_("{name} is not a focal point of {code}.").format(
                name=actor.username, code=resolution.code))
    elif component_id not in {cid for cid, _name in reporting_components(session=session, actor=actor)}:
        raise PermissionDenied(_("{name} may not speak for this component.").format(name=actor.username))


def _find(session: Session, year: int, resolution_id: int, component_id: int | None) -> NothingToReport | None:
    component = (NothingToReport.component_id.is_(None) if component_id is None
                 else NothingToReport.component_id == component_id)
    return session.exec(select(NothingToReport).where(
        NothingToReport.year == year, NothingToReport.resolution_id == resolution_id, component)).first()


def declare(*, session: Session, actor: Actor, year: int, code: str, component_id: int | None = None,
            reason: str | None = None) -> NothingToReport:
    """Say there is nothing to report on Resolution `code` for `year` (as its focal point, or for a component)."""
    resolution = _resolution(session, code)
    _check(session, actor, resolution, component_id)
    reason = (reason or "").strip() or None
    if reason and len(reason) > REASON_MAX:
        raise ValidationFailed([FieldError("reason", _("At most {max} characters").format(max=REASON_MAX))])
    if component_id is None:
        report = session.exec(select(ProgressReport).where(ProgressReport.resolution_id == resolution.id,
                                                           ProgressReport.year == year)).first()
        if report is not None and (report.state != "draft" or report.published_status is not None):
            raise ValidationFailed([FieldError("reason", _("The {year} Progress Report is already in review or "
                                                           "published: it is the answer.").format(year=year))])
    elif not session.exec(select(ActivityReport.id).join(
            ActivityReportResolution, ActivityReportResolution.activity_report_id == ActivityReport.id).where(
            ActivityReport.component_id == component_id, ActivityReportResolution.resolution_id == resolution.id,
            counted_activity_in(year - 1))).first():
        raise ValidationFailed([FieldError("reason", _("Your component did not report on {code} in {year}: "
                                                       "there is nothing to answer for it.").format(
            code=code, year=year - 1))])
    existing = _find(session, year, resolution.id, component_id)
    if existing is not None:
        return existing
    row = NothingToReport(year=year, resolution_id=resolution.id, component_id=component_id, user_id=actor.id,
                          reason=reason)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="nothing_to_report", entity="nothing_to_report", entity_id=row.id,
                 after={"year": year, "resolution": code, "component_id": component_id, "reason": reason})
    return row


def undo(*, session: Session, actor: Actor, year: int, code: str, component_id: int | None = None) -> None:
    """Take the statement back: the Resolution is owed again (and reminded of)."""
    resolution = _resolution(session, code)
    _check(session, actor, resolution, component_id)
    row = _find(session, year, resolution.id, component_id)
    if row is None:
        return
    before = {"year": year, "resolution": code, "component_id": component_id, "reason": row.reason}
    entity_id = row.id
    session.delete(row)
    session.flush()
    audit.record(session, actor=actor, action="undo_nothing_to_report", entity="nothing_to_report",
                 entity_id=entity_id, before=before)


def focal_statements(*, session: Session, actor: Actor, year: int) -> dict[str, str | None]:
    """{code: reason} of the year's "nothing to report" on the Resolutions assigned to the actor."""
    rows = session.exec(
        select(Resolution.code, NothingToReport.reason)
        .join(Resolution, Resolution.id == NothingToReport.resolution_id)
        .join(FocalPointAssignment, FocalPointAssignment.resolution_id == NothingToReport.resolution_id)
        .where(NothingToReport.year == year, NothingToReport.component_id.is_(None),
               FocalPointAssignment.user_id == actor.id)
    ).all()
    return dict(rows)


def reported_last_year(*, session: Session, actor: Actor, year: int) -> list[dict]:
    """For the actor's components: the Resolutions each reported on in year - 1 but not (yet) in `year`, the
    ones a component may say it has nothing to report on (and is reminded of): component_id, component,
    code, title, nothing_to_report (bool), reason."""
    components = dict(reporting_components(session=session, actor=actor))
    if not components:
        return []

    def reported(in_year: int):
        return (select(ActivityReport.component_id, ActivityReportResolution.resolution_id)
                .join(ActivityReportResolution, ActivityReportResolution.activity_report_id == ActivityReport.id)
                .where(counted_activity_in(in_year), ActivityReport.component_id.in_(list(components)))
                .distinct().subquery())

    last, this = reported(year - 1), reported(year)
    rows = session.exec(
        select(last.c.component_id, Resolution.code, Resolution.title, NothingToReport.id, NothingToReport.reason)
        .join(Resolution, Resolution.id == last.c.resolution_id)
        .join(this, and_(this.c.component_id == last.c.component_id, this.c.resolution_id == last.c.resolution_id),
              isouter=True)
        .join(NothingToReport, and_(NothingToReport.year == year, NothingToReport.resolution_id == Resolution.id,
                                    NothingToReport.component_id == last.c.component_id), isouter=True)
        .where(this.c.component_id.is_(None))
        .order_by(Resolution.code)
    ).all()
    return [{"component_id": cid, "component": components[cid], "code": code, "title": title,
             "nothing_to_report": ntr_id is not None, "reason": reason}
            for cid, code, title, ntr_id, reason in rows]
