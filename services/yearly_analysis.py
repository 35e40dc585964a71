"""The Secretariat's yearly analysis: the narrative written for one Congress and one year.

The figures are computed (analytics/yearly_analysis.py); what is stored is the text. The row's
narrative JSON keeps two copies, so a new draft never hides what leadership already read:
    {"draft": {field: text, ...}, "published": {field: text, ...}}   ("published" only once published)
state is "published" while the draft is the published text, "draft" while it holds unpublished changes.
Writers (analysis.write) see the draft; other readers (analysis.read) see only the published text.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from analytics import filters
from analytics.yearly_analysis import published_report_years
from db.models import Congress, User, YearlyAnalysis, utcnow
from services import audit, text_rules
from services.errors import ConflictError, FieldError, NotFound, ValidationFailed
from services.locking import claim
from services.permissions import Actor, can, require


@dataclass(frozen=True)
class NarrativeField:
    key: str
    label: str
    help: str
    required_to_publish: bool = False


# The sections of the analysis, in the order of the document.
NARRATIVE_FIELDS = (
    NarrativeField("key_messages", "Key messages",
                   "Three to five sentences leadership should remember.", required_to_publish=True),
    NarrativeField("status", "Implementation status",
                   "Where the Resolutions stand and what changed since last year."),
    NarrativeField("coverage", "Reporting coverage",
                   "How many Resolutions were reported on, and which were not."),
    NarrativeField("themes", "Progress by theme", "Themes that advanced or lag behind."),
    NarrativeField("components", "Involvement of components and types of action",
                   "Who implemented (Members, Commissions, Secretariat, Committees) and how."),
    NarrativeField("obstacles", "Obstacles and solutions",
                   "The common obstacles and the solutions proposed in the Progress Reports."),
    NarrativeField("recommendations", "Recommendations",
                   "What the Secretariat recommends to Council and to the components.", required_to_publish=True),
)
FIELD_KEYS = tuple(f.key for f in NARRATIVE_FIELDS)
MAX_CHARS = 20_000  # per field: about eight pages of text

CONFLICT = ("Someone else saved this analysis after you opened it, so your changes were not saved. "
            "Your text is still in the form: copy what you need, reload the page, then apply your changes.")


@dataclass
class AnalysisView:
    """What one reader may see of the analysis of a Congress and year."""

    congress: str
    year: int
    exists: bool = False
    state: str | None = None  # draft, published, or None when nothing was saved yet
    version: int | None = None  # to send back with the next save
    draft: dict[str, str] | None = None  # writers only
    published: dict[str, str] | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    author: str | None = None
    can_write: bool = False
    unpublished_changes: bool = False
    fields: tuple[NarrativeField, ...] = field(default=NARRATIVE_FIELDS)


def _congress(session: Session, code: str) -> Congress:
    key = text_rules.lookup_key(code, max_len=16)  # a NUL would be a raw database error, not "no Congress"
    found = session.exec(select(Congress).where(Congress.code == key)).first() if key else None
    if found is None:
        raise NotFound(f"No Congress with code {code}.")
    return found


def _row(session: Session, congress: Congress, year: int) -> YearlyAnalysis | None:
    return session.exec(
        select(YearlyAnalysis).where(YearlyAnalysis.congress_id == congress.id, YearlyAnalysis.year == year)
    ).first()


def _texts(values: dict | None) -> dict[str, str]:
    values = values or {}
    return {k: str(values.get(k) or "") for k in FIELD_KEYS}


def read_analysis(*, session: Session, actor: Actor, congress: str, year: int) -> AnalysisView:
    require(actor, "analysis.read")
    c = _congress(session, congress)
    row = _row(session, c, year)
    writer = can(actor, "analysis.write")
    view = AnalysisView(congress=congress, year=year, can_write=writer)
    if row is None:
        view.draft = _texts(None) if writer else None
        return view
    stored = row.narrative or {}
    author = session.get(User, row.author_id)
    view.exists = True
    view.state = row.state
    view.version = row.version
    view.published = _texts(stored["published"]) if stored.get("published") is not None else None
    view.published_at = row.published_at
    view.updated_at = row.updated_at
    view.author = author.display_name if author else None
    view.unpublished_changes = view.published is not None and row.state == "draft"
    if writer:
        view.draft = _texts(stored.get("draft"))
    return view


def default_view(*, session: Session, congress: str | None = None) -> tuple[str | None, int]:
    """The (Congress code, year) the analysis opens on, the same for every reader: the latest published
    analysis (of `congress` when one is chosen), else the latest year with published Progress Reports on
    the Congress (by default the latest Congress with Resolutions), else its latest year with any data,
    else the current year. Never a year with nothing published while a published analysis exists: a reader
    would take its empty figures for implementation collapsing."""
    query = (select(Congress.code, YearlyAnalysis.year)
             .join(YearlyAnalysis, YearlyAnalysis.congress_id == Congress.id)
             .where(YearlyAnalysis.published_at.is_not(None))  # published once: readers see that text
             .order_by(YearlyAnalysis.year.desc(), Congress.year.desc(), Congress.session.desc()))
    if congress is not None:
        query = query.where(Congress.code == congress)
    found = session.exec(query.limit(1)).first()
    if found is not None:
        return found[0], int(found[1])
    congress = congress or filters.latest_congress(session=session)
    if congress is None:
        return None, datetime.now(UTC).year
    years = (published_report_years(session=session, congress=congress)
             or filters.data_years(session=session, congress=congress))
    return congress, years[-1] if years else datetime.now(UTC).year


def _validate(session: Session, congress: str, year: int, narrative: dict, publish: bool) -> Congress:
    errors: list[FieldError] = []
    key = text_rules.lookup_key(congress, max_len=16)
    c = session.exec(select(Congress).where(Congress.code == key)).first() if key else None
    if c is None:
        errors.append(FieldError("congress", f"no Congress with code {text_rules.shown(congress)!r}"))
    elif not (c.year <= year <= datetime.now(UTC).year + 1):
        errors.append(FieldError("year", f"choose a year from {c.year} to {datetime.now(UTC).year + 1}"))
    for key in sorted(set(narrative) - set(FIELD_KEYS)):
        errors.append(FieldError(key, "is not a section of the analysis"))
    for f in NARRATIVE_FIELDS:
        # control characters (a NUL, a vertical tab...) and length: services.text_rules
        text = text_rules.check_text(narrative.get(f.key), field=f.key, label=f.label, max_len=MAX_CHARS,
                                     multiline=True, errors=errors,
                                     too_long="is {length} characters long; keep it under {max_len}",
                                     control="contains a control character ({chars}); remove it "
                                             "(line breaks and tabs are fine)")
        if publish and f.required_to_publish and not text.strip():
            errors.append(FieldError(f.key, f"write the {f.label.lower()} before publishing"))
    if errors:
        raise ValidationFailed(errors)
    return c


def _write(session: Session, actor: Actor, congress: str, year: int, narrative: dict, version: int | None,
           publish: bool) -> AnalysisView:
    require(actor, "analysis.write")
    narrative = {k: text_rules.tidy(v, multiline=True) if isinstance(v, str) else v for k, v in narrative.items()}
    c = _validate(session, congress, year, narrative, publish)
    texts = _texts(narrative)
    row = _row(session, c, year)
    now = utcnow()
    if row is None:
        if version is not None:
            raise ConflictError(CONFLICT)  # it was deleted, or never existed where the user thought
        row = YearlyAnalysis(congress_id=c.id, year=year, narrative={"draft": texts}, state="draft",
                             author_id=actor.id, updated_at=now)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            raise ConflictError(CONFLICT) from None  # someone created it at the same moment
        before = {}
    else:
        claim(session, row, version, CONFLICT)
        before = {"state": row.state, **_texts((row.narrative or {}).get("draft"))}
    stored = dict(row.narrative or {})
    stored["draft"] = texts
    if publish:
        stored["published"] = texts
        row.published_at = now
        row.state = "published"
    else:
        row.state = "published" if stored.get("published") == texts else "draft"
    row.narrative = stored  # a new dict, so the JSON column is written
    row.author_id = actor.id
    row.updated_at = now
    session.add(row)
    session.flush()
    old, new = audit.changes(before, {"state": row.state, **texts})
    audit.record(session, actor=actor, action="publish" if publish else "save_draft",
                 entity="yearly_analysis", entity_id=f"{congress}/{year}", before=old, after=new)
    return read_analysis(session=session, actor=actor, congress=congress, year=year)


def save_draft(*, session: Session, actor: Actor, congress: str, year: int, narrative: dict[str, str],
               version: int | None) -> AnalysisView:
    """Save the text as a draft (version: the one read, None when there was no analysis yet). The
    published text, if any, stays what leadership reads until the next publication."""
    return _write(session, actor, congress, year, narrative, version, publish=False)


def publish(*, session: Session, actor: Actor, congress: str, year: int, narrative: dict[str, str],
            version: int | None) -> AnalysisView:
    """Save the text and publish it: leadership and focal points read it from now on."""
    return _write(session, actor, congress, year, narrative, version, publish=True)
