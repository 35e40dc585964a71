"""Who may do what. Pages hide what a role cannot use; services check again on every write."""

from dataclasses import dataclass, field

from services.errors import PermissionDenied


@dataclass(frozen=True)
class Actor:
    """The signed-in user as services see it."""

    id: int
    username: str
    display_name: str
    roles: frozenset[str]
    component_ids: frozenset[int] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles)) or "admin" in self.roles


# action -> roles allowed (admin may do everything)
RULES: dict[str, frozenset[str]] = {
    "register.import": frozenset({"secretariat"}),
    "register.edit": frozenset({"secretariat"}),
    "register.export": frozenset({"secretariat", "leadership", "focal_point", "reporter"}),
    # Accounts and organisations: the administrator only (admin may do everything)
    "users.manage": frozenset(),
    "components.manage": frozenset(),
    "access.review": frozenset(),
    "mail.view": frozenset(),
    "audit.view": frozenset({"secretariat"}),
    "account.edit": frozenset({"reporter", "focal_point", "secretariat", "leadership"}),  # one's own
    # Activity Reports: component membership is checked again in services/activity_reports.py
    "activity.write": frozenset({"reporter", "focal_point", "secretariat"}),
    "activity.return": frozenset({"focal_point", "secretariat"}),  # and focal point of the Resolution
    # Progress Reports: the assignment is checked again in services/progress_reports.py
    "progress.write": frozenset({"focal_point", "secretariat"}),
    "progress.review": frozenset({"secretariat"}),
    "assignments.manage": frozenset({"secretariat"}),
    "calendar.manage": frozenset({"secretariat"}),
    "coverage.view": frozenset({"secretariat", "focal_point"}),
    "analysis.write": frozenset({"secretariat"}),
    "analysis.read": frozenset({"secretariat", "leadership", "focal_point"}),
}


def can(actor: Actor | None, action: str) -> bool:
    return actor is not None and actor.has(*RULES[action])


def require(actor: Actor | None, action: str) -> None:
    if not can(actor, action):
        who = actor.username if actor else "an anonymous user"
        raise PermissionDenied(f"{who} may not {action.replace('.', ' ')}.")
