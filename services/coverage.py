"""Reporting coverage as the Coverage page reads it: who owes which Progress Report, with the focal points'
names and emails, and which components reported. The counting is analytics/coverage.py's; this module
only checks that the reader may see coverage ("coverage.view"), as the navigation does."""

import pandas as pd
from sqlmodel import Session

from analytics import coverage
from services.permissions import Actor, require

ACTION = "coverage.view"


def resolution_coverage(*, session: Session, actor: Actor, year: int, congress_code: str,
                        focal_user_id: int | None = None) -> pd.DataFrame:
    """The state of each Resolution's Progress Report for `year` (analytics.coverage.resolution_coverage)."""
    require(actor, ACTION)
    return coverage.resolution_coverage(session=session, year=year, congress_code=congress_code,
                                        focal_user_id=focal_user_id)


def archived_left_out(*, session: Session, actor: Actor, year: int, congress_code: str) -> int:
    require(actor, ACTION)
    return coverage.archived_left_out(session=session, year=year, congress_code=congress_code)


def components_reporting(*, session: Session, actor: Actor, year: int, congress_code: str,
                         focal_user_id: int | None = None) -> pd.DataFrame:
    require(actor, ACTION)
    return coverage.components_reporting(session=session, year=year, congress_code=congress_code,
                                         focal_user_id=focal_user_id)


def component_matrix(*, session: Session, actor: Actor, year: int, congress_code: str,
                     focal_user_id: int | None = None) -> pd.DataFrame:
    require(actor, ACTION)
    return coverage.component_matrix(session=session, year=year, congress_code=congress_code,
                                     focal_user_id=focal_user_id)
