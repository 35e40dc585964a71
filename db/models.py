"""The domain model (DESIGN.md §2) as SQLModel tables.

Vocabularies live in db/vocab.py; columns holding one of their values are plain strings guarded by a
CHECK constraint built from that vocabulary, so the database refuses a value the code does not know.
Timestamps are timezone-aware UTC.
"""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Text, UniqueConstraint, false
from sqlmodel import Field, SQLModel

from db import vocab


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """A stamp read back from the database, time zone attached: SQLite hands back naive datetimes, and every
    stamp is written in UTC."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def one_of(column: str, values: tuple[str, ...], name: str, nullable: bool = False) -> CheckConstraint:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    check = f"{column} IN ({quoted})"
    return CheckConstraint(f"{column} IS NULL OR {check}" if nullable else check, name=name)


class Congress(SQLModel, table=True):
    __tablename__ = "congress"
    __table_args__ = (one_of("kind", vocab.CONGRESS_KINDS, "ck_congress_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)  # code prefix of its Resolutions: WCC-2020, GA-1994
    kind: str = Field(max_length=40)
    session: int
    extraordinary: bool = False
    city: str = Field(max_length=80)
    country: str = Field(max_length=80)
    start_date: date | None = None
    end_date: date | None = None
    year: int = Field(index=True)  # the year in the Congress' name (Marseille 2020 met in 2021)
    official_prefix: str | None = Field(default=None, max_length=8)  # "7." as in Resolution 7.122
    adopted_count: int | None = None  # Resolutions and Recommendations adopted, where known


class Theme(SQLModel, table=True):
    __tablename__ = "theme"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    framework: str = Field(max_length=80)
    parent_id: int | None = Field(default=None, foreign_key="theme.id")
    sort_order: int = 0


class Resolution(SQLModel, table=True):
    __tablename__ = "resolution"
    __table_args__ = (
        UniqueConstraint("congress_id", "number", name="uq_resolution_congress_number"),
        one_of("kind", vocab.RESOLUTION_KINDS, "ck_resolution_kind"),
        one_of("status", vocab.RESOLUTION_STATUSES, "ck_resolution_status"),
        CheckConstraint(
            "(status = 'archived') = (archived_on IS NOT NULL)", name="ck_resolution_archived_on"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)  # WCC-2020-Res-122
    number: int
    kind: str = Field(max_length=20)
    title: str = Field(max_length=500)
    congress_id: int = Field(foreign_key="congress.id", index=True)
    status: str = Field(default="active", max_length=10)
    archived_on: date | None = None
    summary: str | None = Field(default=None, sa_column=Column(Text))
    text_url: str | None = Field(default=None, max_length=500)  # the official text: http(s) only
    updated_at: datetime = Field(default_factory=utcnow)


class ResolutionTheme(SQLModel, table=True):
    __tablename__ = "resolution_theme"

    resolution_id: int = Field(foreign_key="resolution.id", primary_key=True, ondelete="CASCADE")
    theme_id: int = Field(foreign_key="theme.id", primary_key=True, index=True)


class Component(SQLModel, table=True):
    __tablename__ = "component"
    __table_args__ = (one_of("kind", vocab.COMPONENT_KINDS, "ck_component_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30)
    name: str = Field(max_length=200, unique=True)
    acronym: str | None = Field(default=None, max_length=20)
    region: str | None = Field(default=None, max_length=60)  # IUCN statutory region
    country: str | None = Field(default=None, max_length=80)
    active: bool = True  # deactivated, never deleted: reports keep their component


class User(SQLModel, table=True):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL
    __table_args__ = (
        one_of("language", vocab.LANGUAGES, "ck_app_user_language"),
        Index("uq_app_user_email", "email", unique=True),  # stored lower-case: one account per address
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=60, unique=True)
    display_name: str = Field(max_length=120)
    email: str = Field(max_length=200)
    password_hash: str | None = Field(default=None, max_length=100)  # bcrypt; None until a password is set
    active: bool = True
    language: str = Field(default="en", max_length=5)  # preferred interface language
    created_at: datetime = Field(default_factory=utcnow)
    last_sign_in_at: datetime | None = None


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (one_of("role", vocab.ROLES, "ck_user_role_role"),)

    user_id: int = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(max_length=20, primary_key=True)


class UserComponent(SQLModel, table=True):
    __tablename__ = "user_component"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    component_id: int = Field(foreign_key="component.id", primary_key=True, index=True)


class FocalPointAssignment(SQLModel, table=True):
    """Which Secretariat user synthesises which Resolution, and since when."""

    __tablename__ = "focal_point_assignment"
    __table_args__ = (UniqueConstraint("resolution_id", "user_id", name="uq_focal_point"),)

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="app_user.id", index=True)
    since: date


class ReportingDeadline(SQLModel, table=True):
    """The reporting calendar: when each year's Progress Reports are due."""

    __tablename__ = "reporting_deadline"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    due_on: date


class ActivityReport(SQLModel, table=True):
    __tablename__ = "activity_report"
    __table_args__ = (
        one_of("state", vocab.ACTIVITY_REPORT_STATES, "ck_activity_report_state"),
        one_of("action_status", vocab.ACTION_STATUSES, "ck_activity_report_action_status", True),
        Index("ix_activity_report_state_start", "state", "period_start"),
        Index("ix_activity_report_state_submitted", "state", "submitted_at"),  # analytics: a year's reports
    )

    id: int | None = Field(default=None, primary_key=True)
    component_id: int = Field(foreign_key="component.id", index=True)
    author_id: int = Field(foreign_key="app_user.id", index=True)
    title: str = Field(max_length=200)
    description: str | None = Field(default=None, sa_column=Column(Text))
    action_status: str | None = Field(default=None, max_length=20)
    period_start: date | None = None
    period_end: date | None = None
    scope_global: bool = False
    scope_regions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    scope_countries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    partners: str | None = Field(default=None, sa_column=Column(Text))
    results: str | None = Field(default=None, sa_column=Column(Text))
    challenges: str | None = Field(default=None, sa_column=Column(Text))
    support_needed: str | None = Field(default=None, sa_column=Column(Text))
    links: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    state: str = Field(default="draft", max_length=12)
    version: int = 1  # optimistic lock: every save must name the version it read
    supersedes_id: int | None = Field(default=None, foreign_key="activity_report.id", index=True)
    locked: bool = False  # cited by a published Progress Report: corrections make a new version
    # The component agreed that visitors of the public site may read it (issue 16); off unless chosen.
    shown_publicly: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # The language it was written in (issue 14): one of vocab.LANGUAGES; reports are never machine-translated.
    language: str = Field(default="en", max_length=5, sa_column_kwargs={"server_default": "en"})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    submitted_at: datetime | None = Field(default=None, index=True)


class ActivityReportResolution(SQLModel, table=True):
    __tablename__ = "activity_report_resolution"

    activity_report_id: int = Field(
        foreign_key="activity_report.id", primary_key=True, ondelete="CASCADE"
    )
    resolution_id: int = Field(foreign_key="resolution.id", primary_key=True, index=True)


class OperativeParagraph(SQLModel, table=True):
    """An operative paragraph of a Resolution (issue 18): its number as printed ("1", "4b"), its place in the
    text, whom it addresses (free text; db/vocab.PARAGRAPH_ADDRESSEES the usual ones) and its text."""

    __tablename__ = "operative_paragraph"
    __table_args__ = (UniqueConstraint("resolution_id", "number", name="uq_operative_paragraph_number"),)

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True, ondelete="CASCADE")
    number: str = Field(max_length=12)
    position: int  # display order within the Resolution
    addressee: str | None = Field(default=None, max_length=120)
    text: str = Field(sa_column=Column(Text, nullable=False))
    version: int = 1  # optimistic lock
    updated_at: datetime = Field(default_factory=utcnow)


class ActivityReportParagraph(SQLModel, table=True):
    """The operative paragraphs an Activity Report addresses (each of one of its Resolutions)."""

    __tablename__ = "activity_report_paragraph"

    activity_report_id: int = Field(
        foreign_key="activity_report.id", primary_key=True, ondelete="CASCADE"
    )
    paragraph_id: int = Field(foreign_key="operative_paragraph.id", primary_key=True, index=True)


class ActivityReportActionType(SQLModel, table=True):
    __tablename__ = "activity_report_action_type"
    __table_args__ = (one_of("action_type", vocab.ACTION_TYPES, "ck_action_type"),)

    activity_report_id: int = Field(
        foreign_key="activity_report.id", primary_key=True, ondelete="CASCADE"
    )
    action_type: str = Field(max_length=60, primary_key=True, index=True)


class ProgressReport(SQLModel, table=True):
    """One per Resolution and year. The row holds the working copy; every publication is kept in
    progress_report_revision, and published_status mirrors the latest published one so analytics
    read a single column."""

    __tablename__ = "progress_report"
    __table_args__ = (
        UniqueConstraint("resolution_id", "year", name="uq_progress_report_resolution_year"),
        one_of("state", vocab.PROGRESS_REPORT_STATES, "ck_progress_report_state"),
        one_of("status", vocab.IMPLEMENTATION_STATUSES, "ck_progress_report_status"),
        # A draft may have no status yet; a report sent for review (and so a published one) states one.
        CheckConstraint("state = 'draft' OR status IS NOT NULL", name="ck_progress_report_status_stated"),
        Index("ix_progress_report_year_published", "year", "published_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True)
    year: int
    author_id: int = Field(foreign_key="app_user.id", index=True)
    status: str | None = Field(default=None, max_length=20)  # implementation status; None: a draft without one
    summary: str | None = Field(default=None, sa_column=Column(Text))
    results: str | None = Field(default=None, sa_column=Column(Text))
    challenges: str | None = Field(default=None, sa_column=Column(Text))
    solutions: str | None = Field(default=None, sa_column=Column(Text))  # solutions and next steps
    challenge_categories: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    state: str = Field(default="draft", max_length=12)
    version: int = 1  # optimistic lock
    revision: int = 0  # number of publications so far
    published_status: str | None = Field(default=None, max_length=20)
    published_at: datetime | None = None
    language: str = Field(default="en", max_length=5, sa_column_kwargs={"server_default": "en"})  # as above
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ProgressReportRevision(SQLModel, table=True):
    """A published version of a Progress Report, kept for ever."""

    __tablename__ = "progress_report_revision"
    __table_args__ = (
        UniqueConstraint("progress_report_id", "revision", name="uq_progress_report_revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    progress_report_id: int = Field(foreign_key="progress_report.id", index=True)
    revision: int
    status: str = Field(max_length=20)
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    published_by: int = Field(foreign_key="app_user.id")
    published_at: datetime = Field(default_factory=utcnow)


class ProgressReportSource(SQLModel, table=True):
    """The Activity Reports a Progress Report draws on."""

    __tablename__ = "progress_report_source"

    progress_report_id: int = Field(
        foreign_key="progress_report.id", primary_key=True, ondelete="CASCADE"
    )
    activity_report_id: int = Field(foreign_key="activity_report.id", primary_key=True, index=True)


class ProgressReportParagraph(SQLModel, table=True):
    """An optional implementation status per operative paragraph in a Progress Report (the Resolution's own
    status stays the report's status)."""

    __tablename__ = "progress_report_paragraph"
    __table_args__ = (one_of("status", vocab.IMPLEMENTATION_STATUSES, "ck_progress_report_paragraph_status"),)

    progress_report_id: int = Field(
        foreign_key="progress_report.id", primary_key=True, ondelete="CASCADE"
    )
    paragraph_id: int = Field(foreign_key="operative_paragraph.id", primary_key=True, index=True)
    status: str = Field(max_length=20)


class ProgressReportComponent(SQLModel, table=True):
    """The components involved, as the focal point confirmed them."""

    __tablename__ = "progress_report_component"

    progress_report_id: int = Field(
        foreign_key="progress_report.id", primary_key=True, ondelete="CASCADE"
    )
    component_id: int = Field(foreign_key="component.id", primary_key=True, index=True)


class ReviewComment(SQLModel, table=True):
    """Who returned (or commented on) which report, when, and why."""

    __tablename__ = "review_comment"
    __table_args__ = (
        one_of("target_kind", ("activity_report", "progress_report"), "ck_review_target"),
        Index("ix_review_comment_target", "target_kind", "target_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    target_kind: str = Field(max_length=20)
    target_id: int
    author_id: int = Field(foreign_key="app_user.id")
    action: str = Field(max_length=20)  # returned, comment
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class YearlyAnalysis(SQLModel, table=True):
    """The Secretariat's narrative for one Congress and year; the figures are computed."""

    __tablename__ = "yearly_analysis"
    __table_args__ = (
        UniqueConstraint("congress_id", "year", name="uq_yearly_analysis"),
        one_of("state", vocab.ANALYSIS_STATES, "ck_yearly_analysis_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    congress_id: int = Field(foreign_key="congress.id")
    year: int
    narrative: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default="draft", max_length=12)
    version: int = 1
    author_id: int = Field(foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class YearlyAnalysisText(SQLModel, table=True):
    """The narrative of a yearly analysis in French or Spanish (issue 14); English is YearlyAnalysis' own.
    narrative and state as in YearlyAnalysis; the analysis' version guards every language's save."""

    __tablename__ = "yearly_analysis_text"
    __table_args__ = (
        UniqueConstraint("analysis_id", "language", name="uq_yearly_analysis_text"),
        one_of("language", vocab.LANGUAGES, "ck_yearly_analysis_text_language"),
        one_of("state", vocab.ANALYSIS_STATES, "ck_yearly_analysis_text_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    analysis_id: int = Field(foreign_key="yearly_analysis.id", ondelete="CASCADE")
    language: str = Field(max_length=5)
    narrative: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    state: str = Field(default="draft", max_length=12)
    author_id: int = Field(foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None


class ReportThemeGroup(SQLModel, table=True):
    """A group of the reports' texts the Secretariat curated (issue 18, analytics/report_themes.py): named,
    pinned or merged into another. The mining recognises it in every later run by its terms (term -> weight,
    the centroid of its texts when it was curated); a pinned group takes the texts resembling it before the
    clustering runs, so it keeps its name and identity when the data change."""

    __tablename__ = "report_theme_group"

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=5)  # the language its texts are in, or "all" (grouped across languages)
    name: str | None = Field(default=None, max_length=120)
    pinned: bool = False
    terms: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    merged_into_id: int | None = Field(default=None, foreign_key="report_theme_group.id")
    version: int = 1  # optimistic lock
    updated_by: int | None = Field(default=None, foreign_key="app_user.id")
    updated_at: datetime = Field(default_factory=utcnow)


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, before and after."""

    __tablename__ = "audit_event"
    # (scope, congress_id, id): a scope's data version is one index seek (services/audit.scoped_version).
    __table_args__ = (Index("ix_audit_event_entity", "entity", "entity_id"),
                      Index("ix_audit_event_scope", "scope", "congress_id", "id"))

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: str | None = Field(default=None, max_length=40)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    # What the write changed (issue 13, db/scopes.py), set by services/audit.record from the entity; NULL (a
    # bulk insert, an unknown entity) = every scoped read depends on it. congress_id: the one Congress it
    # touched, NULL = any or every Congress.
    scope: str | None = Field(default=None, max_length=20)
    congress_id: int | None = None


class SignInSession(SQLModel, table=True):
    """One signed-in browser. The re-login cookie carries a random id whose hash is stored here; every run
    checks it, so ending the row ends the session (sign-out, deactivation, password change or reset)."""

    __tablename__ = "sign_in_session"
    __table_args__ = (one_of("method", vocab.SIGN_IN_METHODS, "ck_sign_in_session_method"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)  # sha256 of the cookie's id, never the id
    user_id: int = Field(foreign_key="app_user.id", index=True)
    method: str = Field(max_length=10)
    client: str | None = Field(default=None, max_length=64)  # the address it signed in from
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime  # absolute lifetime
    ended_at: datetime | None = None
    ended_reason: str | None = Field(default=None, max_length=20)


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins per username and per client address ("user:alice", "ip:10.0.0.1"): each failure
    makes the next attempt wait longer; waiting never locks anyone out for long."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(max_length=120, primary_key=True)
    failures: int = 0
    last_failure_at: datetime = Field(default_factory=utcnow)
    blocked_until: datetime | None = None


class AccountToken(SQLModel, table=True):
    """A single-use link to set a password (account activation or reset). Only its hash is stored."""

    __tablename__ = "account_token"
    __table_args__ = (one_of("purpose", vocab.TOKEN_PURPOSES, "ck_account_token_purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    purpose: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    used_at: datetime | None = None


class OutboxMail(SQLModel, table=True):
    """Every mail the app sends waits here until the SMTP server took it; failures are retried later,
    so a mail never blocks or undoes the write that caused it."""

    __tablename__ = "outbox_mail"
    __table_args__ = (Index("ix_outbox_mail_pending", "sent_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    to_address: str = Field(max_length=200)
    subject: str = Field(max_length=200)
    body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str | None = Field(default=None, sa_column=Column(Text))  # the HTML part; None: plain text only
    unsubscribe_url: str | None = Field(default=None, max_length=500)  # the List-Unsubscribe header
    created_at: datetime = Field(default_factory=utcnow, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow)
    last_error: str | None = Field(default=None, max_length=500)
    sent_at: datetime | None = None


class AccessRequest(SQLModel, table=True):
    """Someone signed in by single sign-on with no account asks for a component and a role."""

    __tablename__ = "access_request"
    __table_args__ = (
        one_of("state", vocab.ACCESS_REQUEST_STATES, "ck_access_request_state"),
        one_of("role", vocab.ROLES, "ck_access_request_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=200, index=True)  # lower-case, as the provider vouched for it
    name: str = Field(max_length=120)
    component_id: int | None = Field(default=None, foreign_key="component.id")
    role: str = Field(max_length=20)
    message: str | None = Field(default=None, sa_column=Column(Text))
    state: str = Field(default="pending", max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    decided_by: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = None
    decision_note: str | None = Field(default=None, sa_column=Column(Text))
    user_id: int | None = Field(default=None, foreign_key="app_user.id")  # the account it created
    # The interface language the request was made in (issue 14): the decision's mail and the new account speak it.
    language: str = Field(default="en", max_length=5, sa_column_kwargs={"server_default": "en"})


class MailPreference(SQLModel, table=True):
    """How a user wants one kind of mail (db/vocab.MAIL_KINDS): off, immediately, or in a digest. No row:
    the kind's default (services/mail_preferences.py)."""

    __tablename__ = "mail_preference"
    __table_args__ = (
        one_of("kind", vocab.MAIL_KINDS, "ck_mail_preference_kind"),
        one_of("delivery", vocab.MAIL_DELIVERIES, "ck_mail_preference_delivery"),
    )

    user_id: int = Field(foreign_key="app_user.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=30, primary_key=True)
    delivery: str = Field(max_length=10)


class ReminderRule(SQLModel, table=True):
    """When and whom to remind of a reporting year's deadline (reporting_deadline), and the wording: a
    subject and body template per language ({"en": {"subject": ..., "body": ...}, ...})."""

    __tablename__ = "reminder_rule"
    __table_args__ = (
        UniqueConstraint("days", "audience", name="uq_reminder_rule_days_audience"),
        one_of("audience", vocab.REMINDER_AUDIENCES, "ck_reminder_rule_audience"),
    )

    id: int | None = Field(default=None, primary_key=True)
    days: int  # relative to the deadline: negative before, 0 on the day, positive after
    audience: str = Field(max_length=20)
    wording: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    active: bool = True
    version: int = 1  # optimistic lock
    updated_at: datetime = Field(default_factory=utcnow)


class SentReminder(SQLModel, table=True):
    """Every reminder sent (by the daily job, rule set, or by "Remind now", no rule): one per rule, year,
    recipient and subject (what it is about: "progress" for a focal point, "components" for a component's
    member), so a second run sends nothing twice. outbox_mail_id links to the mail and its delivery status."""

    __tablename__ = "sent_reminder"
    __table_args__ = (
        UniqueConstraint("rule_id", "year", "recipient_id", "subject", name="uq_sent_reminder"),
        Index("ix_sent_reminder_year_created", "year", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rule_id: int | None = Field(default=None, foreign_key="reminder_rule.id", index=True)
    year: int
    recipient_id: int = Field(foreign_key="app_user.id", index=True)
    subject: str = Field(max_length=40)
    outbox_mail_id: int | None = Field(default=None, foreign_key="outbox_mail.id")
    sent_by: int | None = Field(default=None, foreign_key="app_user.id")  # "Remind now"; None: the job
    created_at: datetime = Field(default_factory=utcnow)


class SentReminderResolution(SQLModel, table=True):
    """The Resolutions a sent reminder named, so Coverage tells for each missing report when the last
    reminder went."""

    __tablename__ = "sent_reminder_resolution"

    sent_reminder_id: int = Field(foreign_key="sent_reminder.id", primary_key=True, ondelete="CASCADE")
    resolution_id: int = Field(foreign_key="resolution.id", primary_key=True, index=True)


class NothingToReport(SQLModel, table=True):
    """"Nothing to report this year" for a Resolution: said by its focal point (component_id None: the
    year's Progress Report) or by a component that reported on it the year before. It counts as an answer
    in coverage and stops the reminders; deleting the row undoes it."""

    __tablename__ = "nothing_to_report"
    __table_args__ = (
        UniqueConstraint("year", "resolution_id", "component_id", name="uq_nothing_to_report"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    resolution_id: int = Field(foreign_key="resolution.id", index=True, ondelete="CASCADE")
    component_id: int | None = Field(default=None, foreign_key="component.id")
    user_id: int = Field(foreign_key="app_user.id")
    reason: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """An event for one user (db/vocab.NOTIFICATION_KINDS), shown by the bell until read, written in the
    recipient's language. `delivery` is how its mail was chosen when it arrived (off, immediate, digest);
    `mailed_at` is set once it went out, at once or in the daily digest."""

    __tablename__ = "notification"
    __table_args__ = (
        one_of("kind", vocab.NOTIFICATION_KINDS, "ck_notification_kind"),
        one_of("delivery", vocab.MAIL_DELIVERIES, "ck_notification_delivery"),
        Index("ix_notification_user_unread", "user_id", "read_at"),  # the bell: a user's unread count
        Index("ix_notification_digest_due", "delivery", "mailed_at"),  # the daily digest: what waits for it
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    kind: str = Field(max_length=30)
    title: str = Field(max_length=300)
    body: str = Field(sa_column=Column(Text, nullable=False))
    link: str = Field(max_length=500)  # a path in the app with its query ("progress_report?code=...&year=2026")
    delivery: str = Field(max_length=10)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
    mailed_at: datetime | None = None


class DigestSent(SQLModel, table=True):
    """A digest (daily or weekly) that went to a user for a period: one row per user, digest and period
    start, so running the job twice sends nothing twice."""

    __tablename__ = "digest_sent"
    __table_args__ = (
        UniqueConstraint("user_id", "digest", "period_start", name="uq_digest_sent"),
        one_of("digest", vocab.DIGESTS, "ck_digest_sent_digest"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", ondelete="CASCADE")
    digest: str = Field(max_length=10)
    period_start: date
    outbox_mail_id: int | None = Field(default=None, foreign_key="outbox_mail.id")
    created_at: datetime = Field(default_factory=utcnow)


class GoalTarget(SQLModel, table=True):
    """A goal, target or programme area of a global framework (issue 18): reference data from
    db/reference/global_goals.csv, keyed by its code (KMGBF-T3, SDG-14, SDG-14.a, N2030-OCEANS)."""

    __tablename__ = "goal_target"
    __table_args__ = (
        one_of("framework", vocab.GOAL_FRAMEWORKS, "ck_goal_target_framework"),
        one_of("level", vocab.GOAL_LEVELS, "ck_goal_target_level"),
    )

    code: str = Field(max_length=20, primary_key=True)
    framework: str = Field(max_length=12)
    level: str = Field(max_length=8)
    parent_code: str | None = Field(default=None, max_length=20, foreign_key="goal_target.code")  # SDG target -> goal
    number: str | None = Field(default=None, max_length=8)  # as the framework numbers it: 3, 14.a, A
    name: str = Field(sa_column=Column(Text, nullable=False))  # official short name; SDG targets: the text
    name_fr: str | None = Field(default=None, sa_column=Column(Text))
    name_es: str | None = Field(default=None, sa_column=Column(Text))
    position: int  # reference order


class ResolutionTarget(SQLModel, table=True):
    """A Resolution tagged with a goal target (issue 18)."""

    __tablename__ = "resolution_target"

    resolution_id: int = Field(foreign_key="resolution.id", primary_key=True, ondelete="CASCADE")
    target_code: str = Field(max_length=20, foreign_key="goal_target.code", primary_key=True, index=True)
