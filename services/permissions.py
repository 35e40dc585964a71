"""Who may do what: the one permission table.

The navigation shows a page when `can(actor, <the page's action>)`, and services ask the same `can` /
`require` again on every write and restricted read, so hiding a page is never the only guard. Role names
are written here (and in the role vocabulary, db/vocab.py) and nowhere else: code elsewhere asks for an
action that names what is being decided, such as `can(actor, "progress.review")`.
"""

from dataclasses import dataclass, field

from db.vocab import ROLES
from locales import _
from services.errors import PermissionDenied

ADMIN = "admin"  # the administrator may do everything


@dataclass(frozen=True)
class Actor:
    """The signed-in user as services see it."""

    id: int
    username: str
    display_name: str
    roles: frozenset[str]
    component_ids: frozenset[int] = field(default_factory=frozenset)
    language: str = "en"  # the preferred interface language (app_user.language): the language of every run (issue 14)


EVERYONE = frozenset(ROLES)

# action -> the roles allowed (the administrator is always allowed, so frozenset() means "admin only").
# "<x>.view" actions open a page that has no other action of its own; other pages name the action they
# serve (ui/navigation.py).
RULES: dict[str, frozenset[str]] = {
    # Pages every signed-in user sees
    "overview.view": EVERYONE,
    "policy.view": EVERYONE,  # Body of policy
    "register.view": EVERYONE,  # the register and each Resolution's page
    "guide.view": EVERYONE,
    "account.edit": EVERYONE,  # one's own account
    "notifications.view": EVERYONE,  # one's own notifications: the bell, the list, marking read
    # The register
    "register.import": frozenset({"secretariat"}),
    "register.edit": frozenset({"secretariat"}),
    "register.export": EVERYONE,
    "paragraphs.edit": frozenset({"secretariat"}),  # a Resolution's operative paragraphs: edit, import (issue 18)
    # Accounts and organisations: the administrator only
    "users.manage": frozenset(),
    "components.manage": frozenset(),
    "access.review": frozenset(),
    "mail.view": frozenset(),
    "audit.view": frozenset({"secretariat"}),
    "backup.manage": frozenset(),  # download a backup of the whole database
    # Activity Reports: for one's own components (membership is checked in services/activity_reports.py)
    "activity.write": frozenset({"reporter", "focal_point", "secretariat"}),
    "activity.all_components": frozenset(),  # report for, and see the drafts of, any component
    "activity.return": frozenset({"focal_point", "secretariat"}),  # on a Resolution assigned to them...
    "activity.return_any": frozenset({"secretariat"}),  # ... or on any Resolution
    # Progress Reports: for the Resolutions assigned to one (checked in services/progress_reports.py)
    "my_resolutions.view": frozenset({"focal_point"}),  # the Resolutions assigned to one
    "progress.write": frozenset({"focal_point", "secretariat"}),  # on a Resolution assigned to them...
    "progress.write_any": frozenset({"secretariat"}),  # ... or on any Resolution
    "progress.review": frozenset({"secretariat"}),  # the review queue: publish or return
    "assignments.manage": frozenset({"secretariat"}),
    "calendar.manage": frozenset({"secretariat"}),
    "reminders.manage": frozenset({"secretariat"}),  # reminder rules, the reminders sent, "Remind now"
    "digest.weekly": frozenset({"secretariat", "leadership"}),  # may receive the weekly digest (on by default)
    "coverage.view": frozenset({"secretariat", "focal_point"}),
    "analysis.write": frozenset({"secretariat"}),
    "analysis.read": frozenset({"secretariat", "leadership", "focal_point"}),
    # What the reports say (issue 18): the mined groups of challenges; the Secretariat curates them
    "themes.read": frozenset({"secretariat", "leadership"}),
    "themes.curate": frozenset({"secretariat"}),
}
assert all(roles <= EVERYONE for roles in RULES.values())


def can(actor: Actor | None, action: str) -> bool:
    """Whether the actor may do `action` (a key of RULES; an unknown action is a bug: KeyError)."""
    allowed = RULES[action]
    return actor is not None and bool(actor.roles & (allowed | {ADMIN}))


def require(actor: Actor | None, action: str) -> None:
    if not can(actor, action):
        who = actor.username if actor else _("an anonymous user")
        # The action stays a code (it names a RULES key); the sentence around it is in the user's language.
        raise PermissionDenied(_("{who} may not {action}.").format(
            who=who, action=action.replace('.', ' ').replace('_', ' ')))


def roles_for(action: str) -> frozenset[str]:
    """The roles the table names for `action` (the administrator, always allowed, is not listed): for
    queries on the users table, such as who may be assigned as a focal point."""
    return RULES[action]


# What the reporting cycle expects of each role: the guide's "Your work" and the page one lands on.
# Duties, not permissions: the administrator may do everything but is not expected to report activities.
DUTIES: dict[str, frozenset[str]] = {
    "report_activities": frozenset({"reporter"}),
    "write_progress_reports": frozenset({"focal_point"}),
    "run_the_cycle": frozenset({"secretariat", ADMIN}),
    "read_the_analysis": frozenset({"leadership", "secretariat", ADMIN}),
}


def duties(actor: Actor | None) -> frozenset[str]:
    """The duties (keys of DUTIES) of the actor's roles."""
    return frozenset(d for d, roles in DUTIES.items() if actor is not None and actor.roles & roles)
