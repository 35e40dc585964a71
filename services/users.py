"""Who a user is, as services see them: their roles and components, read fresh on every run."""

from sqlmodel import Session, select

from db.models import User, UserComponent, UserRole
from services.permissions import Actor


def actor_for(*, session: Session, username: str) -> Actor | None:
    user = session.exec(select(User).where(User.username == username, User.active)).first()
    if user is None:
        return None
    roles = session.exec(select(UserRole.role).where(UserRole.user_id == user.id)).all()
    components = session.exec(
        select(UserComponent.component_id).where(UserComponent.user_id == user.id)
    ).all()
    return Actor(
        id=user.id, username=user.username, display_name=user.display_name,
        roles=frozenset(roles), component_ids=frozenset(components), language=user.language,
    )
