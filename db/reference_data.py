"""Reference data every installation has: Congresses, themes, the Commissions, Secretariat units, and the
global goals Resolutions are tagged with (issue 18)."""

import csv
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db.engine import transaction
from db.models import Component, Congress, GoalTarget, Theme

REFERENCE = Path(__file__).resolve().parent / "reference"


def _rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))  # "#": a comment


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load_reference_data(engine: Engine) -> None:
    """Insert or update the reference rows; running it twice changes nothing."""
    with transaction(engine) as session:
        _load_congresses(session)
        _load_themes(session)
        _load_components(session)
        _load_goal_targets(session)


def _upsert(session: Session, model, key: str, values: dict) -> None:
    row = session.exec(select(model).where(getattr(model, key) == values[key])).first()
    if row is None:
        session.add(model(**values))
    else:
        for field, value in values.items():
            setattr(row, field, value)
    session.flush()


def _load_congresses(session: Session) -> None:
    for r in _rows("congresses.csv"):
        _upsert(session, Congress, "code", {
            "code": r["code"],
            "kind": r["kind"],
            "session": int(r["session"]),
            "extraordinary": r["extraordinary"] == "yes",
            "city": r["city"],
            "country": r["country"],
            "start_date": _date(r["start_date"]),
            "end_date": _date(r["end_date"]),
            "year": int(r["year"]),
            "official_prefix": r["official_prefix"] or None,
            "adopted_count": int(r["adopted_count"]) if r["adopted_count"] else None,
        })


def _load_themes(session: Session) -> None:
    for r in _rows("themes.csv"):
        parent_id = None
        if r["parent"]:
            parent_id = session.exec(select(Theme.id).where(Theme.name == r["parent"])).one()
        _upsert(session, Theme, "name", {
            "name": r["name"],
            "framework": r["framework"],
            "parent_id": parent_id,
            "sort_order": int(r["sort_order"]),
        })


def _load_components(session: Session) -> None:
    for r in _rows("components.csv"):
        _upsert(session, Component, "name", {
            "kind": r["kind"],
            "name": r["name"],
            "acronym": r["acronym"] or None,
            "region": r["region"] or None,
            "country": r["country"] or None,
        })


def _load_goal_targets(session: Session) -> None:
    """One read of the table, then inserts and updates in file order (a goal before its targets)."""
    existing = {row.code: row for row in session.exec(select(GoalTarget)).all()}
    for r in _rows("global_goals.csv"):
        values = {
            "code": r["code"], "framework": r["framework"], "level": r["level"],
            "parent_code": r["parent"] or None, "number": r["number"] or None, "name": r["name"],
            "name_fr": r["name_fr"] or None, "name_es": r["name_es"] or None, "position": int(r["position"]),
        }
        row = existing.get(r["code"])
        if row is None:
            session.add(GoalTarget(**values))
            session.flush()  # the goal is in before its targets point at it
        else:
            for field, value in values.items():
                if getattr(row, field) != value:
                    setattr(row, field, value)
    session.flush()
