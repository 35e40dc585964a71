"""Progress Reports: the yearly synthesis of a Resolution's Activity Reports by its Secretariat focal point.

Workflow: draft -> in_review -> published (or returned to draft with a comment). One report per
Resolution and year (a database constraint). The row is the working copy; each publication is kept as a
ProgressReportRevision and mirrored in published_status / published_at / revision. A published report is
never edited in place: `start_correction` puts the working copy back to draft while published_status
keeps showing the last publication until the correction is published as the next revision.

Who: focal points write only for the Resolutions assigned to them; Secretariat staff (and admins) may
write for any, and only they publish or return. Publishing locks every cited Activity Report. A report in
preparation (draft or in review), its review comments and its history are read by the same people only
(may_read_working_copy); once published, everyone reads it (published_reports, on the Resolution page).
"""

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import and_, case, exists, func, or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

import locales
from db.counting import counted_activity, counted_activity_in, status_in_year, year_bounds
from db.engine import transaction
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    AuditEvent,
    Component,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    ProgressReportComponent,
    ProgressReportRevision,
    ProgressReportSource,
    Resolution,
    ReviewComment,
    User,
    utcnow,
)
from locales import N_, _
from services import audit, form_fields, notifications, paragraphs, report_fields, text_rules
from services.assignments import resolution_by_code
from services.errors import ConflictError, FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
from services.locking import claim
from services.permissions import Actor, can, require

ENTITY = "progress_report"
FIELDS = report_fields.PROGRESS  # what the editor holds, declared once
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.kind in form_fields.TEXTS)
LIMITS = form_fields.limits(FIELDS) | {"comment": text_rules.COMMENT}
STATE_LABELS = {None: N_("Not written yet"), "draft": N_("Draft"), "in_review": N_("In review"),
                "published": N_("Published")}
# Whole sentences for each state a report may be found in and what was tried, so each language words them.
WRONG_STATE = {
    ("draft", "published"): N_("This Progress Report is draft, so it cannot be published "
                               "(someone may have acted on it already): reload the page."),
    ("published", "published"): N_("This Progress Report is published, so it cannot be published "
                                   "(someone may have acted on it already): reload the page."),
    ("draft", "returned"): N_("This Progress Report is draft, so it cannot be returned "
                              "(someone may have acted on it already): reload the page."),
    ("published", "returned"): N_("This Progress Report is published, so it cannot be returned "
                                  "(someone may have acted on it already): reload the page."),
    ("draft", "corrected"): N_("This Progress Report is draft, so it cannot be corrected "
                               "(someone may have acted on it already): reload the page."),
    ("in_review", "corrected"): N_("This Progress Report is in review, so it cannot be corrected "
                                   "(someone may have acted on it already): reload the page."),
}
CANNOT_SAVE = {
    "in_review": N_("This Progress Report is in review, so it cannot be changed now. The Secretariat can return it "
                    "to you with a comment."),
    "published": N_("This Progress Report is published, so it cannot be changed now. Start a correction to change "
                    "it."),
}
CONFLICT = N_("Someone else saved this Progress Report after you opened it, so your changes were not saved. "
              "Your text is still in the form: copy what you need, reload the report, then apply your changes.")
ALREADY_EXISTS = N_("A Progress Report for {code} and {year} already exists (someone started it after you "
                    "opened this page). Your text is still in the form: copy it, then reload the report.")


ProgressInput = form_fields.input_class("ProgressInput", FIELDS, module=__name__,
                                        doc="What the editor holds (services.report_fields).")


@dataclass
class ProgressView:
    """One Progress Report as the editor shows it (id None: not written yet, pre-filled)."""

    id: int | None
    code: str
    title: str
    resolution_id: int
    year: int
    data: ProgressInput
    state: str | None
    version: int | None
    revision: int
    published_status: str | None
    published_at: datetime | None
    author: str | None
    updated_at: datetime | None
    may_write: bool  # the actor may write for this Resolution
    editable: bool  # ... and the report can be changed now
    may_review: bool  # the actor may publish or return it now
    prefilled_from: int | None  # the year whose published report filled a new one
    comments: list[dict] = field(default_factory=list)  # newest first: body, by, at, action
    participant: bool = False  # may read the working copy, its comments and history (may_read_working_copy)
    paragraph_statuses: dict[int, str] = field(default_factory=dict)  # optional, per operative paragraph (issue 18)


# -- permissions ------------------------------------------------------------------------------------------
def is_assigned(session: Session, actor: Actor, resolution_id: int) -> bool:
    return session.exec(select(FocalPointAssignment.id).where(
        FocalPointAssignment.resolution_id == resolution_id, FocalPointAssignment.user_id == actor.id,
    )).first() is not None


def may_write(session: Session, actor: Actor, resolution_id: int) -> bool:
    if not can(actor, "progress.write"):
        return False
    return can(actor, "progress.write_any") or is_assigned(session, actor, resolution_id)


def may_read_working_copy(session: Session, actor: Actor, resolution_id: int) -> bool:
    """A Progress Report in draft or in review, its review comments and its history are read by the focal
    points assigned to the Resolution, the Secretariat and the administrator only: work in progress, not
    yet IUCN's word. Published reports are read by everyone, on the Resolution's page."""
    return can(actor, "progress.review") or may_write(session, actor, resolution_id)


def _require_write(session: Session, actor: Actor, resolution: Resolution) -> None:
    require(actor, "progress.write")
    if not may_write(session, actor, resolution.id):
        raise PermissionDenied(_("Only the focal points assigned to {code} (or the Secretariat) may write its "
                                 "Progress Reports.").format(code=resolution.code))


# -- the years a report may be written for ------------------------------------------------------------------
def current_reporting_year() -> int:
    """The latest year a Progress Report may be written for: the year under way (UTC), as the reporting
    calendar (analytics.coverage.reporting_years) and My Resolutions count it."""
    return datetime.now(UTC).year


def year_range(*, session: Session, code: str) -> tuple[int, int]:
    """The first and last year a Progress Report on the Resolution may be written for: from the year after
    its Congress to the current reporting year (first > last while its Congress is this year)."""
    resolution = resolution_by_code(session, code)
    return session.get(Congress, resolution.congress_id).year + 1, current_reporting_year()


def _year_problems(session: Session, resolution: Resolution, year: object) -> list[FieldError]:
    first, last = session.get(Congress, resolution.congress_id).year + 1, current_reporting_year()
    if isinstance(year, bool) or not isinstance(year, int) or not first <= year <= last:
        return [FieldError("year", _("Choose a reporting year from {first} to {last}: the years after the "
                                     "Resolution's Congress, up to the current one.").format(first=first, last=last))]
    return []


# -- Activity Reports counted for a year ------------------------------------------------------------------
def source_candidates(*, session: Session, resolution_id: int, year: int,
                      include_ids: tuple[int, ...] = ()) -> pd.DataFrame:
    """The Activity Reports on the Resolution received in `year` (plus any already chosen)."""
    received = counted_activity_in(year)
    chosen = ActivityReport.id.in_(include_ids or (-1,))
    rows = session.exec(
        select(ActivityReport.id, ActivityReport.title, Component.id, Component.name, ActivityReport.action_status,
               ActivityReport.period_start, ActivityReport.period_end, ActivityReport.submitted_at,
               ActivityReport.description, ActivityReport.results, ActivityReport.challenges, ActivityReport.state)
        .join(ActivityReportResolution)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(ActivityReportResolution.resolution_id == resolution_id, or_(received, chosen))
        .order_by(ActivityReport.submitted_at.desc(), ActivityReport.id)
    ).all()
    return pd.DataFrame(rows, columns=["id", "title", "component_id", "component", "action_status", "start",
                                       "end", "submitted_at", "description", "results", "challenges", "state"])


def components_of(*, session: Session, source_ids: list[int]) -> list[int]:
    """The components that wrote these Activity Reports: the default 'components involved'."""
    if not source_ids:
        return []
    return sorted(set(session.exec(select(ActivityReport.component_id).where(ActivityReport.id.in_(source_ids)))))


def component_options(*, session: Session) -> pd.DataFrame:
    rows = session.exec(select(Component.id, Component.name, Component.kind).order_by(Component.name)).all()
    return pd.DataFrame(rows, columns=["id", "name", "kind"])


# -- My Resolutions ---------------------------------------------------------------------------------------
MY_COLUMNS = ["code", "title", "congress", "last_year_status", "state", "status", "published_status",
              "revision", "returned", "received_this_year", "since_last_report"]
STATE_ORDER = {None: 0, "draft": 1, "in_review": 2, "published": 3}


def my_resolutions(*, session: Session, user_id: int, year: int) -> pd.DataFrame:
    """Each Resolution assigned to the user, with what the focal point needs for `year` (all in SQL)."""
    start, end = year_bounds(year)
    mine = select(FocalPointAssignment.resolution_id).where(FocalPointAssignment.user_id == user_id)
    last_published = (
        select(ProgressReport.resolution_id, func.max(ProgressReport.published_at).label("at"))
        .where(ProgressReport.published_at.is_not(None), ProgressReport.resolution_id.in_(mine))
        .group_by(ProgressReport.resolution_id).subquery()
    )
    counts = (
        select(ActivityReportResolution.resolution_id.label("rid"),
               func.sum(case((and_(ActivityReport.submitted_at >= start, ActivityReport.submitted_at < end), 1),
                             else_=0)).label("this_year"),
               func.sum(case((or_(last_published.c.at.is_(None), ActivityReport.submitted_at > last_published.c.at),
                              1), else_=0)).label("since_last"))
        .join(ActivityReport, ActivityReport.id == ActivityReportResolution.activity_report_id)
        .join(last_published, last_published.c.resolution_id == ActivityReportResolution.resolution_id,
              isouter=True)
        .where(counted_activity(), ActivityReportResolution.resolution_id.in_(mine))
        .group_by(ActivityReportResolution.resolution_id).subquery()
    )
    this, prev = aliased(ProgressReport), aliased(ProgressReport)
    returned = exists().where(
        ReviewComment.target_kind == ENTITY, ReviewComment.target_id == this.id, ReviewComment.action == "returned",
        or_(this.published_at.is_(None), ReviewComment.created_at > this.published_at))
    rows = session.exec(
        select(Resolution.code, Resolution.title, Congress.code, status_in_year(prev), this.state, this.status,
               this.published_status, func.coalesce(this.revision, 0), and_(this.state == "draft", returned),
               func.coalesce(counts.c.this_year, 0), func.coalesce(counts.c.since_last, 0))
        .join(Congress, Congress.id == Resolution.congress_id)
        .join(this, and_(this.resolution_id == Resolution.id, this.year == year), isouter=True)
        .join(prev, and_(prev.resolution_id == Resolution.id, prev.year == year - 1), isouter=True)
        .join(counts, counts.c.rid == Resolution.id, isouter=True)
        .where(Resolution.id.in_(mine))
        .order_by(Congress.year.desc(), Resolution.number)
    ).all()
    frame = pd.DataFrame(rows, columns=MY_COLUMNS)
    frame["returned"] = frame["returned"].fillna(False).astype(bool)
    for name in ("revision", "received_this_year", "since_last_report"):
        frame[name] = frame[name].astype(int)
    frame["state"] = frame["state"].astype(object).where(frame["state"].notna(), None)
    return frame


# -- reading one report -----------------------------------------------------------------------------------
def _find(session: Session, resolution_id: int, year: int) -> ProgressReport | None:
    return session.exec(select(ProgressReport).where(
        ProgressReport.resolution_id == resolution_id, ProgressReport.year == year)).first()


def _input_of(session: Session, report: ProgressReport) -> ProgressInput:
    return form_fields.read(session, report, ProgressInput, FIELDS)


def _prefill(session: Session, resolution_id: int, year: int) -> tuple[ProgressInput, int | None]:
    """A new report starts from the latest earlier published one: what is `carried` (status, texts,
    challenge categories still on the list); sources and components empty."""
    found = session.exec(
        select(ProgressReport.year, ProgressReportRevision)
        .join(ProgressReportRevision, ProgressReportRevision.progress_report_id == ProgressReport.id)
        .where(ProgressReport.resolution_id == resolution_id, ProgressReport.year < year)
        .order_by(ProgressReport.year.desc(), ProgressReportRevision.revision.desc())
    ).first()
    if found is None:
        return ProgressInput(), None
    earlier_year, revision = found
    content = (revision.content or {}) | {"status": revision.status}
    carried = {}
    for f in FIELDS:
        if f.carried:
            value = form_fields.coerce(f, content.get(f.name))
            carried[f.name] = [v for v in value if v in f.options] if f.kind is form_fields.Kind.CHOICES else value
    return ProgressInput(**carried), earlier_year


def _comments(session: Session, report_id: int) -> list[dict]:
    rows = session.exec(
        select(ReviewComment.body, User.display_name, ReviewComment.created_at, ReviewComment.action)
        .join(User, User.id == ReviewComment.author_id)
        .where(ReviewComment.target_kind == ENTITY, ReviewComment.target_id == report_id)
        .order_by(ReviewComment.created_at.desc(), ReviewComment.id.desc())
    ).all()
    return [{"body": b, "by": by, "at": at, "action": action} for b, by, at, action in rows]


def open_report(*, session: Session, actor: Actor, code: str, year: int) -> ProgressView:
    """This year's report on the Resolution, or (not written yet) a new one pre-filled from last year's."""
    require(actor, "progress.write")
    resolution = resolution_by_code(session, code)
    writer = may_write(session, actor, resolution.id)
    reviewer = can(actor, "progress.review")
    report = _find(session, resolution.id, year)
    if report is None:
        data, earlier = _prefill(session, resolution.id, year)
        return ProgressView(
            id=None, code=code, title=resolution.title, resolution_id=resolution.id, year=year, data=data,
            state=None, version=None, revision=0, published_status=None, published_at=None, author=None,
            updated_at=None, may_write=writer, editable=writer, may_review=False, prefilled_from=earlier,
            participant=may_read_working_copy(session, actor, resolution.id))
    participant = may_read_working_copy(session, actor, resolution.id)
    if report.state != "published" and not participant:
        raise PermissionDenied(_("The {year} Progress Report on {code} is in preparation: only the focal points "
                                 "assigned to the Resolution and the Secretariat read it until it is published. "
                                 "The published reports are on the Resolution's page.").format(year=year, code=code))
    author = session.get(User, report.author_id)
    return ProgressView(
        id=report.id, code=code, title=resolution.title, resolution_id=resolution.id, year=year,
        data=_input_of(session, report), state=report.state, version=report.version, revision=report.revision,
        published_status=report.published_status, published_at=report.published_at,
        author=author.display_name if author else None, updated_at=report.updated_at, may_write=writer,
        editable=writer and report.state == "draft", may_review=reviewer and report.state == "in_review",
        prefilled_from=None, comments=_comments(session, report.id) if participant else [], participant=participant,
        paragraph_statuses=paragraphs.progress_statuses(session, report.id))


# -- validation and writing -------------------------------------------------------------------------------
def _problems(session: Session, resolution_id: int, data: ProgressInput, *, full: bool) -> list[FieldError]:
    """Every problem at once: each field's own rules (services.report_fields: a draft needs none of them;
    submitting needs the status and the summary), then the sources and components."""
    errors = form_fields.problems(data, FIELDS, full=full)
    if data.source_ids:
        valid = set(session.exec(
            select(ActivityReport.id).join(ActivityReportResolution)
            .where(ActivityReport.id.in_(data.source_ids), ActivityReport.state == "submitted",
                   ActivityReportResolution.resolution_id == resolution_id)))
        for missing in sorted(set(data.source_ids) - valid):
            errors.append(FieldError("source_ids", _("Activity Report {id} is not a submitted report on this "
                                                     "Resolution (it may have been withdrawn): untick it.").format(
                id=missing)))
    if data.component_ids:
        known = set(session.exec(select(Component.id).where(Component.id.in_(data.component_ids))))
        if set(data.component_ids) - known:
            errors.append(FieldError("component_ids", _("Choose components from the list.")))
    return errors


def _snapshot(session: Session, report: ProgressReport) -> dict:
    """The content as audit events and revisions record it."""
    data = _input_of(session, report) if report.id else ProgressInput()
    statuses = {str(k): v for k, v in sorted(paragraphs.progress_statuses(session, report.id).items())}
    return asdict(data) | {"state": report.state, paragraphs.REVISION_KEY: statuses}


def _write(session: Session, report: ProgressReport, data: ProgressInput) -> None:
    report.updated_at = utcnow()
    form_fields.write(session, report, data, FIELDS)


def _save(session: Session, actor: Actor, code: str, year: int, data: ProgressInput, version: int | None,
          *, submit: bool, paragraph_statuses: dict[int, str] | None = None) -> ProgressReport:
    resolution = resolution_by_code(session, code)
    _require_write(session, actor, resolution)
    data = form_fields.clean(data, FIELDS)
    year_errors = _year_problems(session, resolution, year)  # before any query: 2**70 fits no column
    if year_errors:
        raise ValidationFailed(year_errors + _problems(session, resolution.id, data, full=submit))
    report = _find(session, resolution.id, year)
    if report is None and version is not None:
        raise NotFound(_("The Progress Report for {code} and {year} no longer exists.").format(
            code=code, year=year))
    if report is not None and version is None:
        raise ConflictError(_(ALREADY_EXISTS).format(code=code, year=year))
    if report is not None:
        if report.state != "draft":
            raise ConflictError(_(CANNOT_SAVE["published" if report.state == "published" else "in_review"]))
        if version != report.version:
            raise ConflictError(_(CONFLICT))
    errors = _problems(session, resolution.id, data, full=submit)
    if paragraph_statuses:
        errors += paragraphs.progress_status_problems(session, resolution.id, paragraph_statuses)
    if errors:
        raise ValidationFailed(errors)
    if report is None:
        report = ProgressReport(resolution_id=resolution.id, year=year, author_id=actor.id, status=data.status)
        session.add(report)
        try:
            session.flush()
        except IntegrityError:  # someone created it between our read and our write; the caller rolls back
            raise ConflictError(_(ALREADY_EXISTS).format(code=code, year=year)) from None
        before: dict = {}
        action = "create"
    else:
        before = _snapshot(session, report)
        claim(session, report, version, _(CONFLICT))
        action = "update"
    _write(session, report, data)
    if paragraph_statuses is not None:  # None: left as they are (a caller that does not show them)
        paragraphs.write_progress_statuses(session, report.id, paragraph_statuses)
    if submit:
        report.state = "in_review"
        action = "submit"
        session.flush()
    old, new = audit.changes(before, _snapshot(session, report))
    audit.record(session, actor=actor, action=action, entity=ENTITY, entity_id=report.id,
                 before=old if before else None, after=new | {"resolution": code, "year": year})
    if submit:
        notifications.progress_in_review(session, actor=actor, report=report)
    return report


def save_draft(*, session: Session, actor: Actor, code: str, year: int, data: ProgressInput,
               version: int | None = None, paragraph_statuses: dict[int, str] | None = None) -> ProgressReport:
    """Create this year's report (version None) or save the draft (version = the one read). `paragraph_statuses`:
    an optional status per operative paragraph (paragraph id -> status; None leaves them as they are)."""
    return _save(session, actor, code, year, data, version, submit=False, paragraph_statuses=paragraph_statuses)


def submit_for_review(*, session: Session, actor: Actor, code: str, year: int, data: ProgressInput,
                      version: int | None = None, paragraph_statuses: dict[int, str] | None = None) -> ProgressReport:
    """Save and send to the Secretariat for review (status and summary required)."""
    return _save(session, actor, code, year, data, version, submit=True, paragraph_statuses=paragraph_statuses)


def _load(session: Session, report_id: int) -> ProgressReport:
    report = session.get(ProgressReport, report_id)
    if report is None:
        raise NotFound(_("Progress Report {id} does not exist.").format(id=report_id))
    return report


def _require_state(report: ProgressReport, state: str, doing: str) -> None:
    if report.state != state:
        raise ConflictError(_(WRONG_STATE[(report.state, doing)]))


def _refuse_changed_sources(session: Session, report: ProgressReport) -> None:
    """Publication cites only what was submitted. Citing in review protects the sources (services.activity_reports
    refuses to withdraw or return them); this catches a source changed all the same (at the very moment the
    report entered review, or before the rule existed), naming it, rather than lock a draft."""
    changed = session.exec(
        select(ActivityReport.id, ActivityReport.title)
        .join(ProgressReportSource, ProgressReportSource.activity_report_id == ActivityReport.id)
        .where(ProgressReportSource.progress_report_id == report.id, ActivityReport.state != "submitted")
        .order_by(ActivityReport.id)
    ).all()
    if changed:
        names = "; ".join(f"{rid} ({text_rules.shown(title)!r})" for rid, title in changed)
        raise ConflictError(_("Activity Report {names} is no longer as submitted (withdrawn or returned to its "
                              "component), so this Progress Report cannot be published citing it. Return the "
                              "Progress Report to its focal point to update its sources.").format(names=names))


def _cited_by_last_revision(session: Session, report: ProgressReport) -> set[int]:
    last = session.exec(select(ProgressReportRevision.content).where(
        ProgressReportRevision.progress_report_id == report.id,
        ProgressReportRevision.revision == report.revision)).first()
    return set((last or {}).get("source_ids") or [])


def publish(*, session: Session, actor: Actor, report_id: int, version: int) -> ProgressReportRevision:
    """Publish a report in review: a new revision, the published status, and its sources locked."""
    require(actor, "progress.review")
    report = _load(session, report_id)
    _require_state(report, "in_review", "published")
    _refuse_changed_sources(session, report)
    claim(session, report, version, _(CONFLICT))
    content = _snapshot(session, report)
    content.pop("state")
    status = content.pop("status")
    cited_before = _cited_by_last_revision(session, report)  # their authors were told then
    now = utcnow()
    before = {"state": report.state, "revision": report.revision, "published_status": report.published_status}
    report.revision += 1
    report.state = "published"
    report.published_status = status
    report.published_at = now
    session.add(report)
    revision = ProgressReportRevision(progress_report_id=report.id, revision=report.revision, status=status,
                                      content=content, published_by=actor.id, published_at=now)
    session.add(revision)
    if content["source_ids"]:
        session.execute(update(ActivityReport).where(ActivityReport.id.in_(content["source_ids"]))
                        .values(locked=True).execution_options(synchronize_session=False))
    session.flush()
    audit.record(session, actor=actor, action="publish", entity=ENTITY, entity_id=report.id, before=before,
                 after={"state": "published", "revision": report.revision, "published_status": status,
                        "locked_activity_reports": content["source_ids"]})
    notifications.progress_published(session, actor=actor, report=report)
    notifications.activity_cited(session, actor=actor, report_ids=set(content["source_ids"]) - cited_before,
                                 code=session.get(Resolution, report.resolution_id).code, year=report.year)
    return revision


@dataclass
class PublishResult:
    """What `publish_many` did: the reports published, and those refused with the reason (each a dict:
    id, code, year, and for a refusal its message)."""

    published: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)


def publish_many(*, engine: Engine, actor: Actor, reports: list[tuple[int, int]]) -> PublishResult:
    """Publish several reports in review, each `(report_id, version)` as read by the reviewer, one after the
    other, each in its own transaction with its audit event (`publish`): one that cannot be published (dealt
    with by someone else meanwhile, changed since it was read, a source withdrawn) is listed with the
    reason and the others are published all the same, as a reviewer publishing a batch expects."""
    require(actor, "progress.review")
    result = PublishResult()
    for report_id, version in reports:
        with Session(engine) as session:
            found = session.exec(select(Resolution.code, ProgressReport.year).join(Resolution)
                                 .where(ProgressReport.id == report_id)).first()
        which = {"id": report_id, "code": found[0] if found else None, "year": found[1] if found else None}
        try:
            with transaction(engine) as session:
                publish(session=session, actor=actor, report_id=report_id, version=version)
        except ServiceError as error:  # nothing of this one was written; the others go on
            result.failed.append(which | {"message": str(error)})
        else:
            result.published.append(which)
    return result


def return_to_draft(*, session: Session, actor: Actor, report_id: int, version: int, comment: str) -> ReviewComment:
    """Send a report in review back to its focal point, saying why."""
    require(actor, "progress.review")
    report = _load(session, report_id)
    errors: list[FieldError] = []
    comment = text_rules.check_text(comment, field="comment", label=_("The comment"), max_len=LIMITS["comment"],
                                    multiline=True, required=True, errors=errors,
                                    missing=_("Say what should change, so the focal point knows."),
                                    too_long=_("Too long: at most {max_len} characters."))
    if errors:
        raise ValidationFailed(errors)
    _require_state(report, "in_review", "returned")
    claim(session, report, version, _(CONFLICT))
    report.state = "draft"
    report.updated_at = utcnow()
    session.add(report)
    note = ReviewComment(target_kind=ENTITY, target_id=report.id, author_id=actor.id, action="returned", body=comment)
    session.add(note)
    session.flush()
    audit.record(session, actor=actor, action="return", entity=ENTITY, entity_id=report.id,
                 before={"state": "in_review"}, after={"state": "draft", "comment": comment})
    notifications.progress_returned(session, actor=actor, report=report, comment=comment)
    return note


def start_correction(*, session: Session, actor: Actor, report_id: int, version: int) -> ProgressReport:
    """A published report is changed only by a new version: the working copy goes back to draft; the
    published revision stays visible until the correction is published."""
    report = _load(session, report_id)
    _require_write(session, actor, session.get(Resolution, report.resolution_id))
    _require_state(report, "published", "corrected")
    claim(session, report, version, _(CONFLICT))
    report.state = "draft"
    report.updated_at = utcnow()
    session.add(report)
    session.flush()
    audit.record(session, actor=actor, action="new_version", entity=ENTITY, entity_id=report.id,
                 before={"state": "published"}, after={"state": "draft", "correcting_revision": report.revision})
    return report


# -- queue, history, published reports ---------------------------------------------------------------------
def review_queue(*, session: Session, actor: Actor) -> pd.DataFrame:
    """Reports waiting for review, oldest first (for those who review them)."""
    require(actor, "progress.review")
    sources = (select(ProgressReportSource.progress_report_id, func.count().label("n"))
               .group_by(ProgressReportSource.progress_report_id).subquery())
    rows = session.exec(
        select(ProgressReport.id, Resolution.code, Resolution.title, ProgressReport.year, User.display_name,
               ProgressReport.status, ProgressReport.published_status, ProgressReport.revision,
               ProgressReport.updated_at, func.coalesce(sources.c.n, 0), ProgressReport.version)
        .join(Resolution, Resolution.id == ProgressReport.resolution_id)
        .join(User, User.id == ProgressReport.author_id)
        .join(sources, sources.c.progress_report_id == ProgressReport.id, isouter=True)
        .where(ProgressReport.state == "in_review")
        .order_by(ProgressReport.updated_at, ProgressReport.id)
    ).all()
    return pd.DataFrame(rows, columns=["id", "code", "title", "year", "author", "status", "published_status",
                                       "revision", "submitted_at", "sources", "version"])


ACTION_LABELS = {"create": N_("Started"), "update": N_("Saved draft"), "submit": N_("Submitted for review"),
                 "publish": N_("Published"), "return": N_("Returned with a comment"),
                 "new_version": N_("Started a correction")}  # shown _(label)
FIELD_BY_NAME = {f.name: f for f in FIELDS}  # "Changed: status, summary": f.short, translated when read


def _changed(names) -> str:
    return _("Changed: {fields}").format(fields=", ".join(FIELD_BY_NAME[k].short for k in names))


def _describe(action: str, before: dict | None, after: dict | None) -> str:
    after = after or {}
    if action == "publish":
        return _("Revision {revision}: {status}").format(revision=after.get("revision"),
                                                        status=locales.translate(after.get("published_status")))
    if action == "return":
        return after.get("comment", "")
    changed = [k for k in after if k in FIELD_BY_NAME]
    if action in ("create", "update", "submit") and changed:
        return _changed(changed)
    return ""


def history(*, session: Session, actor: Actor, report_id: int) -> pd.DataFrame:
    """Who did what, when, newest first (from the audit trail): the return comments and every draft change,
    so for those who may read the working copy (may_read_working_copy)."""
    report = _load(session, report_id)
    if not may_read_working_copy(session, actor, report.resolution_id):
        raise PermissionDenied(_("Only the focal points assigned to the Resolution and the Secretariat read the "
                                 "history of its Progress Reports."))
    rows = session.exec(
        select(AuditEvent.at, User.display_name, AuditEvent.action, AuditEvent.before, AuditEvent.after)
        .join(User, User.id == AuditEvent.user_id, isouter=True)
        .where(AuditEvent.entity == ENTITY, AuditEvent.entity_id == str(report_id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    ).all()
    return pd.DataFrame([{"at": at, "who": who or "—", "what": _(ACTION_LABELS.get(action, action)),
                          "details": _describe(action, before, after)} for at, who, action, before, after in rows],
                        columns=["at", "who", "what", "details"])


def revisions(*, session: Session, report_id: int) -> pd.DataFrame:
    """Every publication of a report, newest first, with what changed since the one before."""
    rows = session.exec(
        select(ProgressReportRevision, User.display_name)
        .join(User, User.id == ProgressReportRevision.published_by)
        .where(ProgressReportRevision.progress_report_id == report_id)
        .order_by(ProgressReportRevision.revision)
    ).all()
    out, previous = [], None
    for rev, who in rows:
        content = rev.content | {"status": rev.status}
        if previous is None:
            changed = _("First publication")
        else:
            keys = [k for k in FIELD_BY_NAME if content.get(k) != previous.get(k)]
            changed = _changed(keys) if keys else _("No change")
        out.append({"revision": rev.revision, "status": rev.status, "published_at": rev.published_at,
                    "published_by": who, "changes": changed})
        previous = content
    return pd.DataFrame(out[::-1], columns=["revision", "status", "published_at", "published_by", "changes"])


def published_reports(*, session: Session, code: str) -> list[dict]:
    """Each year's latest published revision of the Resolution's reports, newest year first; `texts`: each
    free text with its label, in the editor's order."""
    resolution = resolution_by_code(session, code)
    latest = (select(ProgressReportRevision.progress_report_id, func.max(ProgressReportRevision.revision).label("r"))
              .group_by(ProgressReportRevision.progress_report_id).subquery())
    rows = session.exec(
        select(ProgressReport.year, ProgressReport.state, ProgressReportRevision, User.display_name)
        .join(ProgressReportRevision, ProgressReportRevision.progress_report_id == ProgressReport.id)
        .join(latest, and_(latest.c.progress_report_id == ProgressReport.id,
                           latest.c.r == ProgressReportRevision.revision))
        .join(User, User.id == ProgressReport.author_id)
        .where(ProgressReport.resolution_id == resolution.id)
        .order_by(ProgressReport.year.desc())
    ).all()
    names = dict(session.exec(select(Component.id, Component.name)).all())
    confirmed: dict[int, list[int]] = {}  # revisions written before component_ids was kept in content
    for report_id, component_id in session.exec(
            select(ProgressReportComponent.progress_report_id, ProgressReportComponent.component_id)
            .join(ProgressReport).where(ProgressReport.resolution_id == resolution.id)):
        confirmed.setdefault(report_id, []).append(component_id)
    out = []
    for year, state, rev, author in rows:
        content = rev.content or {}
        if "component_ids" not in content:
            content = content | {"component_ids": confirmed.get(rev.progress_report_id, [])}
        out.append({
            "year": year, "status": rev.status, "revision": rev.revision, "published_at": rev.published_at,
            "author": author, "correcting": state != "published",
            **{name: content.get(name) or "" for name in TEXT_FIELDS},
            "texts": [(f.label, content.get(f.name) or "") for f in FIELDS if f.kind in form_fields.TEXTS],
            "challenge_categories": content.get("challenge_categories") or [],
            "components": sorted(names[c] for c in content.get("component_ids") or [] if c in names),
            "sources": len(content.get("source_ids") or []),
        })
    return out
