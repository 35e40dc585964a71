"""Small builders for hand-made test data. Each takes a Session and flushes, so ids are set."""

from datetime import date

from sqlmodel import Session, select

from db.models import (
    Component,
    Congress,
    FocalPointAssignment,
    Resolution,
    ResolutionTheme,
    Theme,
    User,
    UserComponent,
    UserRole,
)
from db.security import hash_password
from services.permissions import Actor


def congress(session: Session, code: str = "WCC-2020") -> Congress:
    return session.exec(select(Congress).where(Congress.code == code)).one()


def component(session: Session, name: str = "Test Member", kind: str = "Member",
              region: str | None = "West Europe", country: str | None = "France") -> Component:
    found = session.exec(select(Component).where(Component.name == name)).first()
    if found:
        return found
    row = Component(name=name, kind=kind, region=region, country=country)
    session.add(row)
    session.flush()
    return row


def user(session: Session, username: str, roles: tuple[str, ...] = ("reporter",),
         components: tuple[Component, ...] = (), password: str = "secret-password") -> User:
    row = User(username=username, display_name=username.title(), email=f"{username}@example.org",
               password_hash=hash_password(password, rounds=4))
    session.add(row)
    session.flush()
    for role in roles:
        session.add(UserRole(user_id=row.id, role=role))
    for c in components:
        session.add(UserComponent(user_id=row.id, component_id=c.id))
    session.flush()
    return row


def actor(session: Session, row: User) -> Actor:
    roles = session.exec(select(UserRole.role).where(UserRole.user_id == row.id)).all()
    comps = session.exec(select(UserComponent.component_id).where(UserComponent.user_id == row.id)).all()
    return Actor(id=row.id, username=row.username, display_name=row.display_name,
                 roles=frozenset(roles), component_ids=frozenset(comps))


def resolution(session: Session, number: int, congress_code: str = "WCC-2020", kind: str = "Resolution",
               title: str | None = None, themes: tuple[str, ...] = (), status: str = "active",
               archived_on: date | None = None) -> Resolution:
    c = congress(session, congress_code)
    code = f"{congress_code}-{'Res' if kind == 'Resolution' else 'Rec'}-{number:03d}"
    row = Resolution(code=code, number=number, kind=kind, title=title or f"Test resolution {number}",
                     congress_id=c.id, status=status, archived_on=archived_on)
    session.add(row)
    session.flush()
    for name in themes:
        theme = session.exec(select(Theme).where(Theme.name == name)).one()
        session.add(ResolutionTheme(resolution_id=row.id, theme_id=theme.id))
    session.flush()
    return row


def assign(session: Session, res: Resolution, focal: User, since: date = date(2022, 1, 1)) -> None:
    session.add(FocalPointAssignment(resolution_id=res.id, user_id=focal.id, since=since))
    session.flush()


def activity_report(session: Session, comp: Component, author: User, resolutions: tuple[Resolution, ...],
                    state: str = "submitted", submitted_at=None, title: str = "Test activity",
                    supersedes=None):
    """An Activity Report on `resolutions`; submitted ones get `submitted_at` (default 1 June 2026, UTC)."""
    from datetime import UTC, datetime

    from db.models import ActivityReport, ActivityReportResolution

    if state == "submitted" and submitted_at is None:
        submitted_at = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    row = ActivityReport(component_id=comp.id, author_id=author.id, title=title, state=state,
                         submitted_at=submitted_at, supersedes_id=supersedes.id if supersedes else None,
                         **({"created_at": submitted_at} if submitted_at else {}))
    session.add(row)
    session.flush()
    for res in resolutions:
        session.add(ActivityReportResolution(activity_report_id=row.id, resolution_id=res.id))
    session.flush()
    return row


def progress_report(session: Session, res: Resolution, author: User, year: int = 2026, state: str = "draft",
                    status: str = "Initiated", published_status: str | None = None):
    """A Progress Report; a published one gets published_status = status unless given."""
    from db.models import ProgressReport

    if state == "published" and published_status is None:
        published_status = status
    row = ProgressReport(resolution_id=res.id, year=year, author_id=author.id, status=status, state=state,
                         published_status=published_status, revision=1 if published_status else 0)
    session.add(row)
    session.flush()
    return row
