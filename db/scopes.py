"""What part of the data a write changed (issue 13): the scope of an audit event, derived from its entity.

Pages cache their reads keyed on a data version (ui/cached.py). The global version (the newest audit event)
changes with every write; a read that names the scopes it depends on is keyed on the newest event of those
scopes only (services/audit.scoped_version), so a sign-in or a Progress Report does not recompute the
Activity Report figures. An entity not listed here has no scope (NULL): every scoped read depends on it, so a
write this table does not know of (a new service, a bulk insert without the column) invalidates everything
rather than nothing. The migration 0014 backfilled existing events with a frozen copy of this table.
"""

REGISTER = "register"  # Resolutions, Congresses, themes, organisations (regions and kinds of the figures)
ACTIVITY = "activity"  # Activity Reports
PROGRESS = "progress"  # Progress Reports, "nothing to report"
ASSIGNMENTS = "assignments"  # focal point assignments, reporting deadlines
ANALYSIS = "analysis"  # the yearly analysis' narrative
ACCOUNTS = "accounts"  # users, access requests, mail preferences
SIGN_IN = "sign_in"  # sign-ins: no figure depends on them
REMINDERS = "reminders"  # reminder rules and sent reminders

SCOPE_OF_ENTITY = {
    "resolution": REGISTER, "register": REGISTER, "component": REGISTER,
    "activity_report": ACTIVITY,
    "progress_report": PROGRESS, "nothing_to_report": PROGRESS,
    "focal_point_assignment": ASSIGNMENTS, "reporting_deadline": ASSIGNMENTS,
    "yearly_analysis": ANALYSIS,
    "user": ACCOUNTS, "users": ACCOUNTS, "access_request": ACCOUNTS, "mail_preference": ACCOUNTS,
    "sign_in": SIGN_IN,
    "reminder_rule": REMINDERS, "sent_reminder": REMINDERS,
}


def scope_of(entity: str | None) -> str | None:
    """The scope of an audit event on `entity`; None (every scoped read depends on it) when unknown."""
    return SCOPE_OF_ENTITY.get(entity or "")

