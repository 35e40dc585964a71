"""What the reports say (issue 18): reading the mined groups, and the Secretariat's curation of them.

The mining is analytics/report_themes.py. A group the Secretariat names, pins or merges is stored
(db/models.ReportThemeGroup) with its terms, so later runs recognise it; a group of the current run that was
never curated has no row yet and is named by its scope and terms (GroupRef). Every write is audited in the
same transaction.
"""

from dataclasses import dataclass

import pandas as pd
from sqlmodel import Session, select

from analytics import report_themes
from analytics.filters import ProgressFilter
from db.models import ReportThemeGroup, Theme, utcnow
from db.vocab import IUCN_REGIONS, LANGUAGES
from locales import _
from services import audit, public
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require

NAME_MAX = 120
ENTITY = "report_theme_group"


@dataclass(frozen=True)
class GroupRef:
    """A group as a page shows it: its stored id when it was curated, else its scope and terms (the signature
    analytics/report_themes.Mining gives each group)."""

    scope: str
    curated_id: int | None = None
    terms: tuple[tuple[str, float], ...] = ()

    @classmethod
    def of(cls, group) -> "GroupRef":
        """The reference of a row of Mining.groups."""
        curated = group["curated_id"]
        return cls(scope=group["scope"], curated_id=None if pd.isna(curated) else int(curated),
                   terms=tuple(group["signature"].items()))


def read_groups(*, session: Session, actor: Actor, flt: ProgressFilter = report_themes.EVERYTHING,
                across_languages: bool = False) -> report_themes.Mining:
    """The groups of the texts under the filter, with the curation applied (Secretariat and leadership)."""
    require(actor, "themes.read")
    return report_themes.mined(session=session, flt=flt, across_languages=across_languages)


def near_duplicates(*, session: Session, actor: Actor, congress: str | None = None) -> pd.DataFrame:
    require(actor, "themes.read")
    return report_themes.near_duplicates(session=session, congress=congress)


def _state(row: ReportThemeGroup) -> dict:
    return {"scope": row.scope, "name": row.name, "pinned": row.pinned, "merged_into_id": row.merged_into_id,
            "terms": sorted(row.terms, key=row.terms.get, reverse=True)[:report_themes.TERMS_SHOWN]}


def _stored(session: Session, actor: Actor, ref: GroupRef, field: str) -> ReportThemeGroup:
    """The stored group of `ref`, made (and audited) when the group was never curated."""
    if ref.curated_id is not None:
        row = session.get(ReportThemeGroup, ref.curated_id)
        if row is None:
            raise NotFound(_("This group no longer exists: reload the page."))
        return row
    if ref.scope not in (*LANGUAGES, report_themes.ALL_LANGUAGES):
        raise ValidationFailed([FieldError(field, _("Unknown language of the group."))])
    terms = {str(t)[:60]: float(w) for t, w in ref.terms[:report_themes.SIGNATURE_TERMS] if float(w) > 0}
    if not terms:
        raise ValidationFailed([FieldError(field, _("This group has no words to recognise it by."))])
    row = ReportThemeGroup(scope=ref.scope, terms=terms, updated_by=actor.id)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", entity=ENTITY, entity_id=row.id, after=_state(row))
    return row


def _save(session: Session, actor: Actor, row: ReportThemeGroup, before: dict, action: str) -> ReportThemeGroup:
    row.version += 1
    row.updated_by, row.updated_at = actor.id, utcnow()
    session.add(row)
    session.flush()
    old, new = audit.changes(before, _state(row))
    audit.record(session, actor=actor, action=action, entity=ENTITY, entity_id=row.id, before=old, after=new)
    return row


def rename(*, session: Session, actor: Actor, group: GroupRef, name: str) -> ReportThemeGroup:
    """Give the group a name (empty: back to its words)."""
    require(actor, "themes.curate")
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX:
        raise ValidationFailed([FieldError("name", _("At most {max} characters").format(max=NAME_MAX))])
    row = _stored(session, actor, group, "name")
    before = _state(row)
    row.name = name or None
    return _save(session, actor, row, before, "rename")


def pin(*, session: Session, actor: Actor, group: GroupRef, pinned: bool = True) -> ReportThemeGroup:
    """Pin the group (it keeps its name and its texts across runs) or unpin it."""
    require(actor, "themes.curate")
    row = _stored(session, actor, group, "pinned")
    before = _state(row)
    row.pinned = pinned
    return _save(session, actor, row, before, "pin" if pinned else "unpin")


def merge(*, session: Session, actor: Actor, group: GroupRef, into: GroupRef) -> ReportThemeGroup:
    """Merge `group` into `into`: from now on their texts are one group, under `into`'s name. Returns `into`."""
    require(actor, "themes.curate")
    if group.scope != into.scope:
        raise ValidationFailed([FieldError("into", _("Only groups of the same language can be merged."))])
    target = _stored(session, actor, into, "into")
    source = _stored(session, actor, group, "into")
    seen, walk = set(), target
    while walk is not None and walk.id not in seen:  # merging a group into one merged into it would loop
        if walk.id == source.id:
            raise ValidationFailed([FieldError("into", _("A group cannot be merged into itself."))])
        seen.add(walk.id)
        walk = session.get(ReportThemeGroup, walk.merged_into_id) if walk.merged_into_id else None
    before = _state(source)
    source.merged_into_id = target.id
    _save(session, actor, source, before, "merge")
    return target


# -- the public's view (the open-data API) -------------------------------------------------------------------
PUBLIC_GROUPS = 20


def public_groups(session: Session, *, congress: str | None = None, year: int | None = None,
                  region: str | None = None, theme: str | None = None, language: str | None = None,
                  across_languages: bool = False) -> dict:
    """The groups mined from what the public may read only (published Progress Reports, Activity Reports shown
    publicly: ProgressFilter.public), with their words, counts and typical quotes with their reports. Unknown
    filter values are refused (ValidationFailed, a 400)."""
    errors: list[FieldError] = []
    for name, value, known in (("region", region, IUCN_REGIONS), ("language", language, LANGUAGES),
                               ("theme", theme, session.exec(select(Theme.name)).all())):
        if value is not None and value not in known:
            errors.append(FieldError(name, f"Unknown {name} {value[:60]!r}; one of: {', '.join(known)}."))
    if errors:
        raise ValidationFailed(errors)
    base = public.progress_filter(session, congress=congress, year=year)  # refuses an unknown Congress
    flt = ProgressFilter(congress=base.congress, year=base.year, public=True,
                         regions=(region,) if region else (), themes=(theme,) if theme else (),
                         languages=(language,) if language else ())
    result = report_themes.mined(session=session, flt=flt, across_languages=across_languages)
    groups = [{"name": row["name"], "terms": list(row["terms"]), "language": row["scope"], "texts": int(row["texts"]),
               "reports": int(row["reports"]), "pinned": bool(row["pinned"]),
               "quotes": [dict(q) for q in row["quotes"]]}
              for _i, row in result.groups.head(PUBLIC_GROUPS).iterrows()]
    return {"congress": flt.congress, "year": flt.year, "region": region, "theme": theme, "language": language,
            "across_languages": across_languages, "texts": len(result.texts), "groups": groups}
