"""Activity Reports: what IUCN components did to implement Resolutions.

Workflow: draft -> submitted (-> returned with a comment -> submitted again); a submitted report may be
withdrawn to draft by its component. Once a published Progress Report cites a report it is `locked`
(set by the publishing service): it is never edited in place; `new_version` copies it into a new draft
that supersedes it, and the old one is kept.

Visibility: the members of a report's component (and admins) see it in every state and edit its drafts;
everyone else sees submitted reports only. Membership is the rule, not authorship: someone removed from a
component no longer sees its drafts nor changes its reports, even those they wrote.

While a Progress Report in review cites a report, the report cannot be withdrawn or returned (so rewritten):
the Secretariat publishes what was submitted. Publication then locks it.

The fields themselves (labels, limits, what a draft or a submission needs) are declared once, in
services/report_fields.py.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import and_, func, or_
from sqlmodel import Session, select

from db.counting import written_in
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    ProgressReportSource,
    Resolution,
    ReviewComment,
    User,
    UserComponent,
    utcnow,
)
from db.sql import string_agg
from locales import N_, _, ngettext
from services import audit, form_fields, notifications, paragraphs, report_fields, text_rules
from services.errors import ConflictError, FieldError, NotFound, PermissionDenied, ValidationFailed
from services.locking import claim
from services.permissions import Actor, can, require

ENTITY = "activity_report"

FIELDS = report_fields.ACTIVITY  # every field a user types or picks, declared once
TEXT_FIELDS = tuple(f.name for f in FIELDS if f.kind in form_fields.TEXTS)
# Every limit in one place (characters; "links" is the number of links, "link" one link's length).
LIMITS = form_fields.limits(FIELDS) | {"comment": text_rules.COMMENT}
WORKFLOW = ("state", "locked", "supersedes_id")  # what audit events record besides the fields
EDITABLE_STATES = ("draft", "returned")
STATE_LABELS = {"draft": N_("Draft"), "submitted": N_("Submitted"), "returned": N_("Returned")}  # shown with _()
MY_REPORT_COLUMNS = ["id", "title", "state", "resolutions", "component", "period_start", "period_end",
                     "updated_at", "locked", "version", "supersedes_id", "language", "cited_by", "return_comment"]


ActivityInput = form_fields.input_class(
    "ActivityInput", FIELDS, module=__name__,
    doc="What the form holds: every field a user types or picks (services.report_fields).")


@dataclass
class ReportView:
    """One report as its form or read-only view shows it."""

    id: int
    data: ActivityInput
    state: str
    version: int
    locked: bool
    editable: bool  # the actor may change it in place now
    member: bool  # the actor belongs to its component (or is an admin): it is theirs to change or withdraw
    component: str
    author: str
    resolution_codes: list[str]
    updated_at: datetime
    supersedes_id: int | None
    superseded_by: int | None
    return_comment: dict | None  # body, by, at of the latest return, while the report is returned
    cited_by: list[str]


# -- who may do what ----------------------------------------------------------------------------------
def _memberships(actor: Actor):
    """The components the actor belongs to now, read from the database at each call, so a person removed
    from a component loses its reports at once, even on a page opened before."""
    return select(UserComponent.component_id).where(UserComponent.user_id == actor.id)


def _is_member(session: Session, actor: Actor, report: ActivityReport) -> bool:
    """Members of the report's component (and admins) own it: they see all its states and edit it."""
    return can(actor, "activity.all_components") or session.exec(
        _memberships(actor).where(UserComponent.component_id == report.component_id)).first() is not None


def _visible(session: Session, actor: Actor, report: ActivityReport) -> bool:
    return report.state == "submitted" or _is_member(session, actor, report)


def reporting_components(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The components the actor may report for: their own (an admin may report for any)."""
    query = select(Component.id, Component.name).order_by(Component.name)
    if not can(actor, "activity.all_components"):
        query = query.where(Component.id.in_(_memberships(actor)))
    return [(cid, name) for cid, name in session.exec(query)]


def _load(session: Session, actor: Actor, report_id: int) -> ActivityReport:
    report = session.get(ActivityReport, report_id)
    if report is None or not _visible(session, actor, report):
        # Someone else's draft is reported as missing, so its existence does not leak.
        raise NotFound(_("Activity Report {id} does not exist or is not visible to you.").format(id=report_id))
    return report


def _load_own(session: Session, actor: Actor, report_id: int) -> ActivityReport:
    require(actor, "activity.write")
    report = _load(session, actor, report_id)
    if not _is_member(session, actor, report):
        raise PermissionDenied(_("Only the focal points of the reporting component may change this report."))
    return report


def _refuse_in_review(session: Session, report: ActivityReport, doing: str) -> None:
    """A report cited by a Progress Report in review stays as submitted until that report is published
    (which locks it) or returned: otherwise publication would cite text that was never submitted."""
    reviews = session.exec(
        select(Resolution.code, ProgressReport.year)
        .join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
        .join(ProgressReportSource, ProgressReportSource.progress_report_id == ProgressReport.id)
        .where(ProgressReportSource.activity_report_id == report.id, ProgressReport.state == "in_review")
        .order_by(Resolution.code, ProgressReport.year)
    ).all()
    if reviews:
        names = _(" and ").join(f"{code} ({year})" for code, year in reviews)
        if doing == "withdrawn":  # whole sentences per case, so each language words them its own way
            message = ngettext(
                "This report cannot be withdrawn now: it is cited by the Progress Report on {names}, which is in "
                "review, and the Secretariat must publish what was submitted. Once that is published, correct it "
                "with a new version; if it is returned to its focal point, this report can be withdrawn again.",
                "This report cannot be withdrawn now: it is cited by the Progress Reports on {names}, which are in "
                "review, and the Secretariat must publish what was submitted. Once that is published, correct it "
                "with a new version; if it is returned to its focal point, this report can be withdrawn again.",
                len(reviews))
        else:
            message = ngettext(
                "This report cannot be returned now: it is cited by the Progress Report on {names}, which is in "
                "review, and the Secretariat must publish what was submitted. Once that is published, correct it "
                "with a new version; if it is returned to its focal point, this report can be returned again.",
                "This report cannot be returned now: it is cited by the Progress Reports on {names}, which are in "
                "review, and the Secretariat must publish what was submitted. Once that is published, correct it "
                "with a new version; if it is returned to its focal point, this report can be returned again.",
                len(reviews))
        raise ConflictError(message.format(names=names))


CONFLICT = N_("Someone else saved this report after you opened it, so your changes were not saved. "
              "Your text is still in the form: copy what you need, reload the report, then apply your changes.")


def _claim(session: Session, report: ActivityReport, version: int | None) -> None:
    """Optimistic lock: of two saves of one version exactly one wins (see services.locking)."""
    claim(session, report, version, _(CONFLICT))


# -- validation -----------------------------------------------------------------------------------
def _problems(session: Session, data: ActivityInput, *, full: bool, today: date) -> list[FieldError]:
    """Every problem at once. Each field's own rules (services.report_fields: a draft needs only a component,
    a Resolution and a title, and sane values; submitting, `full`, needs the whole report), then the rules
    tying fields together."""
    errors = form_fields.problems(data, FIELDS, full=full)

    def add(name: str, message: str) -> None:
        errors.append(FieldError(name, message))

    if data.resolution_ids:
        known = set(session.exec(select(Resolution.id).where(Resolution.id.in_(data.resolution_ids))))
        if set(data.resolution_ids) - known:
            add("resolution_ids", _("One of the chosen Resolutions no longer exists; choose again."))
    if paragraphs.foreign_paragraphs(session, data.paragraph_ids, data.resolution_ids):  # issue 18
        add("paragraph_ids", _(form_fields.by_name(FIELDS)["paragraph_ids"].invalid))
    if data.period_start and data.period_end and data.period_end < data.period_start:
        add("period_end", _("The end date is before the start date."))
    if not full:
        return errors

    if data.action_status == "Completed":
        if not data.period_end:
            add("period_end", _("A completed action needs its end date."))
        elif data.period_end > today:
            add("period_end", _("A completed action cannot end in the future: check the end date or the status."))
    if not (data.scope_global or data.scope_regions or data.scope_countries):
        add("scope", _("Tick 'Global', or choose at least one region or country."))
    return errors


def _check(session: Session, actor: Actor, data: ActivityInput, *, full: bool, today: date | None) -> None:
    errors = _problems(session, data, full=full, today=today or date.today())
    if errors:
        raise ValidationFailed(errors)
    allowed = {cid for cid, _ in reporting_components(session=session, actor=actor)}
    if data.component_id not in allowed:
        raise PermissionDenied(_("You may only report for your own component."))


# -- reading and writing rows ------------------------------------------------------------------------
def _snapshot(session: Session, report: ActivityReport) -> dict:
    """The report's content as audit events record it (Resolutions by code)."""
    values = form_fields.stored(report, FIELDS) | {name: getattr(report, name) for name in WORKFLOW}
    return values | form_fields.audited_links(session, report, FIELDS)


def _input_of(session: Session, report: ActivityReport) -> ActivityInput:
    return form_fields.read(session, report, ActivityInput, FIELDS)


def _write(session: Session, report: ActivityReport, data: ActivityInput) -> None:
    report.updated_at = utcnow()
    form_fields.write(session, report, data, FIELDS)


def _save(session: Session, actor: Actor, data: ActivityInput, report_id: int | None, version: int | None,
          *, submit: bool, today: date | None) -> ActivityReport:
    require(actor, "activity.write")
    data = form_fields.clean(data, FIELDS)
    if report_id is None:
        _check(session, actor, data, full=submit, today=today)
        report = ActivityReport(component_id=data.component_id, author_id=actor.id, title=data.title)
        before: dict = {}
        action = "submit" if submit else "create"
    else:
        report = _load_own(session, actor, report_id)
        _refuse_locked(report)
        if report.state not in EDITABLE_STATES:
            raise ConflictError(_("This report is submitted: withdraw it first (in My reports) to change it."))
        if version != report.version:
            raise ConflictError(_(CONFLICT))  # before any validation message: the form is stale anyway
        _check(session, actor, data, full=submit, today=today)
        before = _snapshot(session, report)
        _claim(session, report, version)
        action = "submit" if submit else "update"
    _write(session, report, data)
    if submit:
        report.state = "submitted"
        report.submitted_at = utcnow()
        session.add(report)
        session.flush()
    changed_before, changed_after = audit.changes(before, _snapshot(session, report))
    audit.record(session, actor=actor, action=action, entity=ENTITY, entity_id=report.id,
                 before=changed_before if report_id is not None else None, after=changed_after)
    return report


def _refuse_locked(report: ActivityReport) -> None:
    if report.locked:
        raise ConflictError(_("This report is cited by a published Progress Report, so it cannot be changed. "
                              "Use 'Correct (new version)' to make a new version; the cited one is kept."))


# -- what users do ----------------------------------------------------------------------------------
def save_draft(*, session: Session, actor: Actor, data: ActivityInput, report_id: int | None = None,
               version: int | None = None, today: date | None = None) -> ActivityReport:
    """Create a draft (report_id None) or save changes to a draft or returned report.
    Only a Resolution and a title are needed."""
    return _save(session, actor, data, report_id, version, submit=False, today=today)


def submit(*, session: Session, actor: Actor, data: ActivityInput, report_id: int | None = None,
           version: int | None = None, today: date | None = None) -> ActivityReport:
    """Validate fully and submit: a new report, a draft, or a returned one (resubmission)."""
    return _save(session, actor, data, report_id, version, submit=True, today=today)


def withdraw(*, session: Session, actor: Actor, report_id: int, version: int) -> ActivityReport:
    """A submitted report back to draft, so its component can change it."""
    report = _load_own(session, actor, report_id)
    _refuse_locked(report)
    if report.state != "submitted":
        raise ConflictError(_("Only a submitted report can be withdrawn."))
    _refuse_in_review(session, report, "withdrawn")
    _claim(session, report, version)
    report.state, report.submitted_at, report.updated_at = "draft", None, utcnow()
    session.add(report)
    audit.record(session, actor=actor, action="withdraw", entity=ENTITY, entity_id=report.id,
                 before={"state": "submitted"}, after={"state": "draft"})
    return report


def _assigned_to(actor: Actor):
    """The reports (ids) on a Resolution the actor is a focal point of."""
    return (select(ActivityReportResolution.activity_report_id)
            .join(FocalPointAssignment,
                  FocalPointAssignment.resolution_id == ActivityReportResolution.resolution_id)
            .where(FocalPointAssignment.user_id == actor.id))


def returnable(*, session: Session, actor: Actor, report_ids: tuple[int, ...]) -> dict[int, int]:
    """Of these reports, those the actor may send back now ({id: version}, the version to return): the
    rules of return_report (submitted, not locked, not cited by a Progress Report in review; the Secretariat,
    or a focal point of one of the report's Resolutions), so a page offers the action only where it works."""
    if not report_ids or not can(actor, "activity.return"):
        return {}
    in_review = (select(ProgressReportSource.activity_report_id)
                 .join(ProgressReport, ProgressReport.id == ProgressReportSource.progress_report_id)
                 .where(ProgressReport.state == "in_review"))
    conditions = (ActivityReport.id.in_(report_ids), ActivityReport.state == "submitted",
                  ActivityReport.locked == False, ActivityReport.id.not_in(in_review))  # noqa: E712
    query = select(ActivityReport.id, ActivityReport.version).where(*conditions)
    if not can(actor, "activity.return_any"):
        query = query.where(ActivityReport.id.in_(_assigned_to(actor)))
    return {int(i): int(v) for i, v in session.exec(query)}


def return_report(*, session: Session, actor: Actor, report_id: int, comment: str,
                  version: int) -> ReviewComment:
    """Send a submitted report back to its component with a comment. Allowed to the Secretariat and
    to a Secretariat focal point assigned to one of the report's Resolutions."""
    require(actor, "activity.return")
    report = _load(session, actor, report_id)
    if not can(actor, "activity.return_any"):
        mine = _assigned_to(actor).where(ActivityReportResolution.activity_report_id == report.id)
        if session.exec(mine).first() is None:
            raise PermissionDenied(_("Only the focal point of one of its Resolutions may return this report."))
    errors: list[FieldError] = []
    comment = text_rules.check_text(comment, field="comment", label=_("The comment"), max_len=LIMITS["comment"],
                                    multiline=True, required=True, errors=errors,
                                    missing=_("Say what the author should change."),
                                    too_long=_("Too long: at most {max_len} characters."))
    if errors:
        raise ValidationFailed(errors)
    _refuse_locked(report)
    if report.state != "submitted":
        raise ConflictError(_("Only a submitted report can be returned."))
    _refuse_in_review(session, report, "returned")
    _claim(session, report, version)
    report.state, report.updated_at = "returned", utcnow()
    session.add(report)
    note = ReviewComment(target_kind=ENTITY, target_id=report.id, author_id=actor.id, action="returned",
                         body=comment)
    session.add(note)
    session.flush()
    audit.record(session, actor=actor, action="return", entity=ENTITY, entity_id=report.id,
                 before={"state": "submitted"}, after={"state": "returned", "comment": comment})
    notifications.activity_returned(session, actor=actor, report_id=report.id, author_id=report.author_id,
                                    title=report.title, comment=comment)
    return note


def new_version(*, session: Session, actor: Actor, report_id: int) -> ActivityReport:
    """Correct a locked (cited) report: a new draft copying it, superseding it; the old one is kept.
    If a correction is already under way, that one is returned."""
    old = _load_own(session, actor, report_id)
    if not old.locked:
        raise ConflictError(_("This report is not cited by a published Progress Report: edit it directly."))
    existing = session.exec(
        select(ActivityReport).where(ActivityReport.supersedes_id == old.id).order_by(ActivityReport.id.desc())
    ).first()
    if existing is not None:
        return existing
    data = _input_of(session, old)
    copy = ActivityReport(component_id=old.component_id, author_id=actor.id, title=old.title,
                          supersedes_id=old.id)
    _write(session, copy, data)
    audit.record(session, actor=actor, action="new_version", entity=ENTITY, entity_id=copy.id,
                 after=_snapshot(session, copy))
    return copy


def prefill_from(*, session: Session, actor: Actor, report_id: int) -> ActivityInput:
    """A new report started from an earlier one: its content, dates cleared; nothing is written
    until the user saves. The component stays if it is the actor's, else their first one."""
    require(actor, "activity.write")
    source = _load(session, actor, report_id)
    data = form_fields.fresh_copy(_input_of(session, source), FIELDS)  # the dates are this year's to give
    allowed = [cid for cid, _ in reporting_components(session=session, actor=actor)]
    if data.component_id not in allowed:
        data.component_id = allowed[0] if allowed else None
    if data.action_status == "Completed":
        data.action_status = None  # last year's completed action is not this year's
    active = set(session.exec(
        select(Resolution.id).where(Resolution.id.in_(data.resolution_ids), Resolution.status == "active")))
    data.resolution_ids = [rid for rid in data.resolution_ids if rid in active]
    dropped = paragraphs.foreign_paragraphs(session, data.paragraph_ids, data.resolution_ids)
    data.paragraph_ids = [pid for pid in data.paragraph_ids if pid not in dropped]  # of the Resolutions kept
    return data


def _cited_by(session: Session, report_ids: list[int]) -> dict[int, list[str]]:
    rows = session.exec(
        select(ProgressReportSource.activity_report_id, Resolution.code, ProgressReport.year,
               ProgressReport.state)
        .join(ProgressReport, ProgressReport.id == ProgressReportSource.progress_report_id)
        .join(Resolution, Resolution.id == ProgressReport.resolution_id)
        .where(ProgressReportSource.activity_report_id.in_(report_ids or [-1]))
        .order_by(ProgressReport.year.desc(), Resolution.code)
    ).all()
    cited: dict[int, list[str]] = {}
    for report_id, code, year, state in rows:
        label = f"{code} ({year})" if state == "published" else f"{code} ({year}, in preparation)"
        cited.setdefault(report_id, []).append(label)
    return cited


def get_report(*, session: Session, actor: Actor, report_id: int) -> ReportView:
    """One report for its form (or read-only view). Raises NotFound when the actor may not see it."""
    report = _load(session, actor, report_id)
    member = _is_member(session, actor, report)
    component = session.get(Component, report.component_id)
    author = session.get(User, report.author_id)
    comment = None
    if report.state == "returned" and member:
        found = session.exec(
            select(ReviewComment, User.display_name).join(User, User.id == ReviewComment.author_id)
            .where(ReviewComment.target_kind == ENTITY, ReviewComment.target_id == report.id,
                   ReviewComment.action == "returned")
            .order_by(ReviewComment.id.desc())
        ).first()
        if found:
            comment = {"body": found[0].body, "by": found[1], "at": found[0].created_at}
    superseded_by = session.exec(
        select(ActivityReport.id).where(ActivityReport.supersedes_id == report.id)
    ).first()
    data = _input_of(session, report)
    codes = list(session.exec(select(Resolution.code).where(Resolution.id.in_(data.resolution_ids or [-1]))
                              .order_by(Resolution.code)))
    return ReportView(
        id=report.id, data=data, state=report.state, version=report.version, locked=report.locked,
        editable=member and can(actor, "activity.write")
        and report.state in EDITABLE_STATES and not report.locked, member=member,
        component=component.name, author=author.display_name, resolution_codes=codes,
        updated_at=report.updated_at, supersedes_id=report.supersedes_id, superseded_by=superseded_by,
        return_comment=comment, cited_by=_cited_by(session, [report.id]).get(report.id, []),
    )


def my_reports(*, session: Session, actor: Actor, state: str | None = None, year: int | None = None,
               resolution_code: str | None = None, languages: tuple[str, ...] = ()) -> pd.DataFrame:
    """The reports of the actor's components (membership, not authorship), newest change first, with the
    Resolutions, the Progress Reports citing each and, on returned ones, the latest return comment.
    `year` keeps reports whose period overlaps it (undated drafts: the year they were created);
    `languages` those written in one of them."""
    dialect = session.get_bind().dialect.name
    codes = (
        select(ActivityReportResolution.activity_report_id.label("rid"),
               string_agg(dialect, Resolution.code, "; ").label("codes"))
        .join(Resolution, Resolution.id == ActivityReportResolution.resolution_id)
        .group_by(ActivityReportResolution.activity_report_id)
        .subquery()
    )
    latest_comment = (
        select(ReviewComment.target_id.label("rid"), func.max(ReviewComment.id).label("cid"))
        .where(ReviewComment.target_kind == ENTITY, ReviewComment.action == "returned")
        .group_by(ReviewComment.target_id)
        .subquery()
    )
    query = (
        select(ActivityReport.id, ActivityReport.title, ActivityReport.state, codes.c.codes, Component.name,
               ActivityReport.period_start, ActivityReport.period_end, ActivityReport.updated_at,
               ActivityReport.locked, ActivityReport.version, ActivityReport.supersedes_id,
               ActivityReport.language, ReviewComment.body)
        .join(Component, Component.id == ActivityReport.component_id)
        .join(codes, codes.c.rid == ActivityReport.id, isouter=True)
        .join(latest_comment, latest_comment.c.rid == ActivityReport.id, isouter=True)
        .join(ReviewComment, and_(ReviewComment.id == latest_comment.c.cid,
                                  ActivityReport.state == "returned"), isouter=True)
        .where(ActivityReport.component_id.in_(_memberships(actor)), written_in(languages))
        .order_by(ActivityReport.updated_at.desc(), ActivityReport.id.desc())
    )
    if state:
        query = query.where(ActivityReport.state == state)
    if year:
        first, last = date(year, 1, 1), date(year, 12, 31)
        query = query.where(or_(
            and_(ActivityReport.period_start <= last,
                 func.coalesce(ActivityReport.period_end, ActivityReport.period_start) >= first),
            and_(ActivityReport.period_start.is_(None),
                 ActivityReport.created_at >= datetime(year, 1, 1, tzinfo=UTC),
                 ActivityReport.created_at < datetime(year + 1, 1, 1, tzinfo=UTC)),
        ))
    if resolution_code:
        query = query.where(ActivityReport.id.in_(
            select(ActivityReportResolution.activity_report_id).join(Resolution)
            .where(Resolution.code == resolution_code)))
    rows = session.exec(query).all()
    frame = pd.DataFrame(rows, columns=[c for c in MY_REPORT_COLUMNS if c != "cited_by"])
    frame["resolutions"] = frame["resolutions"].map(lambda s: "; ".join(sorted(s.split("; "))) if s else "")
    cited = _cited_by(session, [int(i) for i in frame["id"]])
    frame.insert(len(frame.columns) - 1, "cited_by", frame["id"].map(lambda i: "; ".join(cited.get(i, []))))
    frame["supersedes_id"] = frame["supersedes_id"].astype("Int64")
    return frame[MY_REPORT_COLUMNS]


def resolution_options(*, session: Session, q: str = "", include_ids: tuple[int, ...] = ()) -> pd.DataFrame:
    """Resolutions to pick from: active ones whose code or title holds every word of `q`, the latest
    Congress first; `include_ids` (those already chosen, even archived) are always listed."""
    matching = [Resolution.status == "active"]
    for word in text_rules.search_text(q).split():
        pattern = f"%{word}%"
        matching.append(or_(Resolution.code.ilike(pattern), Resolution.title.ilike(pattern)))
    query = (
        select(Resolution.id, Resolution.code, Resolution.title, Congress.year)
        .join(Congress, Congress.id == Resolution.congress_id)
        .where(or_(and_(*matching), Resolution.id.in_(include_ids or (-1,))))
        .order_by(Congress.year.desc(), Resolution.kind.desc(), Resolution.number)  # Res before Rec
    )
    return pd.DataFrame(session.exec(query).all(), columns=["id", "code", "title", "year"])
