"""Which pages a user sees: each page names the action it serves, and a user sees it when the permission
table (services/permissions.py) says `can(actor, action)`. A page a user may not see is not registered
for them, so it is unreachable; services check the same action again."""

from dataclasses import dataclass

import streamlit as st

from services.permissions import Actor, can, duties, roles_for


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    action: str  # a key of services.permissions.RULES: who may open the page
    section: str
    hidden: bool = False  # reachable by link only (detail views)
    public: bool = False  # also open to visitors not signed in (published content only; Settings.public_site)

    @property
    def roles(self) -> frozenset[str]:
        """The roles the table grants the page's action (the administrator, always allowed, not listed)."""
        return roles_for(self.action)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/monitoring:", "overview.view", "Progress",
             public=True),
    PageSpec("pages/analysis.py", "Yearly analysis", ":material/summarize:", "analysis.read", "Progress"),
    PageSpec("pages/body_of_policy.py", "Body of policy", ":material/account_balance:", "policy.view", "Progress",
             public=True),
    PageSpec("pages/register.py", "Resolutions", ":material/gavel:", "register.view", "Resolutions",
             public=True),
    PageSpec("pages/resolution.py", "Resolution", ":material/description:", "register.view", "Resolutions",
             hidden=True, public=True),
    PageSpec("pages/my_reports.py", "My reports", ":material/folder_shared:", "activity.write", "Activity Reports"),
    PageSpec("pages/report_activity.py", "Report an activity", ":material/edit_note:", "activity.write",
             "Activity Reports"),
    PageSpec("pages/my_resolutions.py", "My Resolutions", ":material/assignment_ind:", "my_resolutions.view",
             "Progress Reports"),
    PageSpec("pages/progress_report.py", "Progress Report", ":material/edit_document:", "progress.write",
             "Progress Reports", hidden=True),
    PageSpec("pages/review_queue.py", "Review queue", ":material/rate_review:", "progress.review",
             "Progress Reports"),
    PageSpec("pages/coverage.py", "Coverage", ":material/checklist:", "coverage.view", "Progress Reports"),
    PageSpec("pages/assignments.py", "Focal points and deadlines", ":material/group_add:", "assignments.manage",
             "Administration"),
    PageSpec("pages/reminders.py", "Reminders", ":material/notifications_active:", "reminders.manage",
             "Administration"),
    PageSpec("pages/register_admin.py", "Register import and export", ":material/upload_file:", "register.import",
             "Administration"),
    PageSpec("pages/users_admin.py", "Users", ":material/group:", "users.manage", "Administration"),
    PageSpec("pages/components_admin.py", "Organisations", ":material/corporate_fare:", "components.manage",
             "Administration"),
    PageSpec("pages/access_requests.py", "Access requests", ":material/person_add:", "access.review",
             "Administration"),
    PageSpec("pages/audit_trail.py", "Audit trail", ":material/history:", "audit.view", "Administration"),
    PageSpec("pages/sent_mail.py", "Sent mail", ":material/outgoing_mail:", "mail.view", "Administration"),
    PageSpec("pages/backup.py", "Backup", ":material/backup:", "backup.manage", "Administration"),
    PageSpec("pages/notifications.py", "Notifications", ":material/notifications:", "notifications.view", "Help",
             hidden=True),  # opened by the bell in the sidebar (ui/bell.py), which shows the unread count
    PageSpec("pages/my_account.py", "My account", ":material/account_circle:", "account.edit", "Help"),
    PageSpec("pages/guide.py", "Guide", ":material/help:", "guide.view", "Help"),
)

# Where one lands after signing in: the page of one's first duty in this order (services.permissions.DUTIES),
# else the first page one sees. Who may see each page is the table's business, not this list's.
LANDING: tuple[tuple[str, str], ...] = (
    ("run_the_cycle", "pages/overview.py"),
    ("read_the_analysis", "pages/overview.py"),
    ("report_activities", "pages/my_reports.py"),
    ("write_progress_reports", "pages/my_resolutions.py"),
)


def visible_specs(actor: Actor) -> list[PageSpec]:
    return [p for p in PAGES if can(actor, p.action)]


def may_open(actor: Actor, path: str) -> bool:
    """Whether the actor sees the page at `path` (for links to it from other pages)."""
    return any(p.path == path for p in visible_specs(actor))


def landing_spec(actor: Actor, specs: list[PageSpec]) -> PageSpec:
    mine, by_path = duties(actor), {p.path: p for p in specs}
    return next((by_path[path] for duty, path in LANDING if duty in mine and path in by_path), specs[0])


def build_navigation(actor: Actor):
    specs = visible_specs(actor)
    landing = landing_spec(actor, specs)
    sections: dict[str, list] = {}
    for spec in specs:
        page = st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec is landing,
                       visibility="hidden" if spec.hidden else "visible")
        sections.setdefault(spec.section, []).append(page)
    return st.navigation(sections, expanded=True)  # an admin has 20 pages: none hidden behind "View more"
