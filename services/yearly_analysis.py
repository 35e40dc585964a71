"""The Secretariat's yearly analysis: the narrative written for one Congress and one year.

The figures are computed (analytics/yearly_analysis.py); what is stored is the text. The row's
narrative JSON keeps two copies, so a new draft never hides what leadership already read:
    {"draft": {field: text, ...}, "published": {field: text, ...}}   ("published" only once published)
state is "published" while the draft is the published text, "draft" while it holds unpublished changes.
Writers (analysis.write) see the draft; other readers (analysis.read) see only the published text.

Languages (issue 14): the Secretariat writes one text per language. English is the row's own narrative; French
and Spanish are YearlyAnalysisText rows of the same shape. The analysis' version guards every language's save.
A reader sees the published text of their language, else the published English one (view.fallback says so).
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import locales
from analytics import filters
from analytics.yearly_analysis import published_report_years
from db.models import Congress, User, YearlyAnalysis, YearlyAnalysisText, utcnow
from locales import N_, _
from services import audit, text_rules
from services.errors import ConflictError, FieldError, NotFound, ValidationFailed
from services.locking import claim
from services.permissions import Actor, can, require


@dataclass(frozen=True)
class NarrativeField:
    key: str
    label: str  # English, marked with N_: shown with _(label)
    help: str
    required_to_publish: bool = False


# The sections of the analysis, in the order of the document.
NARRATIVE_FIELDS = (
    NarrativeField("key_messages", N_("Key messages"),
                   N_("Three to five sentences leadership should remember."), required_to_publish=True),
    NarrativeField("status", N_("Implementation status"),
                   N_("Where the Resolutions stand and what changed since last year.")),
    NarrativeField("coverage", N_("Reporting coverage"),
                   N_("How many Resolutions were reported on, and which were not.")),
    NarrativeField("themes", N_("Progress by theme"), N_("Themes that advanced or lag behind.")),
    NarrativeField("components", N_("Involvement of components and types of action"),
                   N_("Who implemented (Members, Commissions, Secretariat, Committees) and how.")),
    NarrativeField("obstacles", N_("Obstacles and solutions"),
                   N_("The common obstacles and the solutions proposed in the Progress Reports.")),
    NarrativeField("recommendations", N_("Recommendations"),
                   N_("What the Secretariat recommends to Council and to the components."), required_to_publish=True),
)
FIELD_KEYS = tuple(f.key for f in NARRATIVE_FIELDS)
# What a section needed to publish says when it is empty (whole sentences: French and Spanish need their own).
BEFORE_PUBLISHING = {"key_messages": N_("write the key messages before publishing"),
                     "recommendations": N_("write the recommendations before publishing")}
MAX_CHARS = 20_000  # per field: about eight pages of text

CONFLICT = N_("Someone else saved this analysis after you opened it, so your changes were not saved. "
              "Your text is still in the form: copy what you need, reload the page, then apply your changes.")


@dataclass
class AnalysisView:
    """What one reader may see of the analysis of a Congress and year."""

    congress: str
    year: int
    language: str = locales.DEFAULT  # the language of the text asked for (and written, for a writer)
    shown_language: str = locales.DEFAULT  # the language of `published`: English when falling back
    fallback: bool = False  # no published text in `language`: `published` is the English one
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
        raise NotFound(_("No Congress with code {code}.").format(code=code))
    return found


def _row(session: Session, congress: Congress, year: int) -> YearlyAnalysis | None:
    return session.exec(
        select(YearlyAnalysis).where(YearlyAnalysis.congress_id == congress.id, YearlyAnalysis.year == year)
    ).first()


def _texts(values: dict | None) -> dict[str, str]:
    values = values or {}
    return {k: str(values.get(k) or "") for k in FIELD_KEYS}


def _language(language: str | None) -> str:
    return locales.valid(language) or locales.current()


def _text_row(session: Session, row: YearlyAnalysis, language: str) -> YearlyAnalysisText | None:
    return session.exec(select(YearlyAnalysisText).where(YearlyAnalysisText.analysis_id == row.id,
                                                         YearlyAnalysisText.language == language)).first()


def read_analysis(*, session: Session, actor: Actor, congress: str, year: int,
                  language: str | None = None) -> AnalysisView:
    """The analysis in `language` (by default the reader's): a writer gets that language's draft; everyone the
    published text of that language, else the published English one (fallback)."""
    require(actor, "analysis.read")
    language = _language(language)
    c = _congress(session, congress)
    row = _row(session, c, year)
    writer = can(actor, "analysis.write")
    view = AnalysisView(congress=congress, year=year, language=language, shown_language=language, can_write=writer)
    if row is None:
        view.draft = _texts(None) if writer else None
        return view
    english = row.narrative or {}
    text = _text_row(session, row, language) if language != locales.DEFAULT else None
    own = row if language == locales.DEFAULT else text
    stored = (own.narrative or {}) if own is not None else {}
    author = session.get(User, own.author_id if own is not None else row.author_id)
    view.exists = True
    view.version = row.version
    view.state = own.state if own is not None else None
    view.updated_at = own.updated_at if own is not None else row.updated_at
    view.author = author.display_name if author else None
    if stored.get("published") is not None:
        view.published = _texts(stored["published"])
        view.published_at = own.published_at
    elif language != locales.DEFAULT and english.get("published") is not None:
        view.published, view.published_at = _texts(english["published"]), row.published_at
        view.shown_language, view.fallback = locales.DEFAULT, True
    view.unpublished_changes = stored.get("published") is not None and view.state == "draft"
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
             .where(or_(YearlyAnalysis.published_at.is_not(None),  # published once, in any language
                        select(YearlyAnalysisText.id).where(YearlyAnalysisText.analysis_id == YearlyAnalysis.id,
                                                            YearlyAnalysisText.published_at.is_not(None)).exists()))
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
        errors.append(FieldError("congress", _("no Congress with code {code}").format(
            code=repr(text_rules.shown(congress)))))
    elif not (c.year <= year <= datetime.now(UTC).year + 1):
        errors.append(FieldError("year", _("choose a year from {first} to {last}").format(
            first=c.year, last=datetime.now(UTC).year + 1)))
    for key in sorted(set(narrative) - set(FIELD_KEYS)):
        errors.append(FieldError(key, _("is not a section of the analysis")))
    for f in NARRATIVE_FIELDS:
        # control characters (a NUL, a vertical tab...) and length: services.text_rules
        text = text_rules.check_text(narrative.get(f.key), field=f.key, label=_(f.label), max_len=MAX_CHARS,
                                     multiline=True, errors=errors,
                                     too_long=_("is {length} characters long; keep it under {max_len}"),
                                     control=_("contains a control character ({chars}); remove it "
                                               "(line breaks and tabs are fine)"))
        if publish and f.required_to_publish and not text.strip():
            errors.append(FieldError(f.key, _(BEFORE_PUBLISHING[f.key])))
    if errors:
        raise ValidationFailed(errors)
    return c


def _write(session: Session, actor: Actor, congress: str, year: int, narrative: dict, version: int | None,
           publish: bool, language: str | None) -> AnalysisView:
    require(actor, "analysis.write")
    language = _language(language)
    narrative = {k: text_rules.tidy(v, multiline=True) if isinstance(v, str) else v for k, v in narrative.items()}
    c = _validate(session, congress, year, narrative, publish)
    texts = _texts(narrative)
    row = _row(session, c, year)
    now = utcnow()
    english = language == locales.DEFAULT
    if row is None:
        if version is not None:
            raise ConflictError(_(CONFLICT))  # it was deleted, or never existed where the user thought
        # a French or Spanish text first: the analysis exists with an empty English draft
        row = YearlyAnalysis(congress_id=c.id, year=year, narrative={"draft": texts if english else _texts(None)},
                             state="draft", author_id=actor.id, updated_at=now)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            raise ConflictError(_(CONFLICT)) from None  # someone created it at the same moment
        target = row if english else None
        before = {}
    else:
        claim(session, row, version, _(CONFLICT))  # one version for the analysis: every language's save bumps it
        target = row if english else _text_row(session, row, language)
        before = {"state": target.state, **_texts((target.narrative or {}).get("draft"))} if target else {}
    if target is None:
        target = YearlyAnalysisText(analysis_id=row.id, language=language, narrative={}, author_id=actor.id)
    stored = dict(target.narrative or {})
    stored["draft"] = texts
    if publish:
        stored["published"] = texts
        target.published_at = now
        target.state = "published"
    else:
        target.state = "published" if stored.get("published") == texts else "draft"
    target.narrative = stored  # a new dict, so the JSON column is written
    target.author_id = actor.id
    target.updated_at = now
    session.add(target)
    if not english:
        row.updated_at = now
        session.add(row)
    session.flush()
    old, new = audit.changes(before, {"state": target.state, **texts})
    audit.record(session, actor=actor, action="publish" if publish else "save_draft",
                 entity="yearly_analysis", entity_id=f"{congress}/{year}" + ("" if english else f"/{language}"),
                 before=old, after=new)
    return read_analysis(session=session, actor=actor, congress=congress, year=year, language=language)


def save_draft(*, session: Session, actor: Actor, congress: str, year: int, narrative: dict[str, str],
               version: int | None, language: str | None = None) -> AnalysisView:
    """Save the text (in `language`, by default the writer's) as a draft (version: the one read, None when
    there was no analysis yet). The published text, if any, stays what leadership reads until the next
    publication."""
    return _write(session, actor, congress, year, narrative, version, publish=False, language=language)


def publish(*, session: Session, actor: Actor, congress: str, year: int, narrative: dict[str, str],
            version: int | None, language: str | None = None) -> AnalysisView:
    """Save the text (in `language`, by default the writer's) and publish it: leadership and focal points
    reading that language read it from now on."""
    return _write(session, actor, congress, year, narrative, version, publish=True, language=language)
