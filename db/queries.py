"""Query conditions that several services and analytics share, so each rule is written once."""

from sqlalchemy import and_, exists
from sqlalchemy.orm import aliased
from sqlmodel import select

from db.models import ActivityReport, Resolution, ResolutionTheme, Theme


def current_submitted_activity():
    """A submitted Activity Report not replaced by a newer submitted version (a correction of a cited
    report): the one that counts and is shown, once."""
    newer = aliased(ActivityReport)
    return and_(ActivityReport.state == "submitted",
                ~exists().where(newer.supersedes_id == ActivityReport.id, newer.state == "submitted"))


def tagged_with(themes):
    """A Resolution carrying at least one of the named themes."""
    tagged = (select(ResolutionTheme.resolution_id).join(Theme, Theme.id == ResolutionTheme.theme_id)
              .where(Theme.name.in_(themes)))
    return Resolution.id.in_(tagged)
