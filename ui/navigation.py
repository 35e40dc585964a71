"""Which pages a user sees: each page names the action it serves, and a user sees it when the permission
table (services/permissions.py) says `can(actor, action)`. A page a user may not see is not registered
for them, so it is unreachable; services check the same action again."""

from dataclasses import dataclass

import streamlit as st

from locales import N_, _
from services.permissions import Actor, can, duties, roles_for


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str  # English, marked with N_: translated where drawn, _(spec.title)
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
    PageSpec("pages/overview.py", N_("Overview"), ":material/monitoring:", "overview.view", N_("Progress"),
             public=True),
    PageSpec("pages/analysis.py", N_("Yearly analysis"), ":material/summarize:", "analysis.read", N_("Progress")),
    PageSpec("pages/report_themes.py", N_("What the reports say"), ":material/forum:", "themes.read",
             N_("Progress")),
    PageSpec("pages/body_of_policy.py", N_("Body of policy"), ":material/account_balance:", "policy.view",
             N_("Progress"), public=True),
    PageSpec("pages/register.py", N_("Resolutions"), ":material/gavel:", "register.view", N_("Resolutions"),
             public=True),
    PageSpec("pages/resolution.py", N_("Resolution"), ":material/description:", "register.view", N_("Resolutions"),
             hidden=True, public=True),
    PageSpec("pages/my_reports.py", N_("My reports"), ":material/folder_shared:", "activity.write",
             N_("Activity Reports")),
    PageSpec("pages/report_activity.py", N_("Report an activity"), ":material/edit_note:", "activity.write",
             N_("Activity Reports")),
    PageSpec("pages/my_resolutions.py", N_("My Resolutions"), ":material/assignment_ind:", "my_resolutions.view",
             N_("Progress Reports")),
    PageSpec("pages/progress_report.py", N_("Progress Report"), ":material/edit_document:", "progress.write",
             N_("Progress Reports"), hidden=True),
    PageSpec("pages/review_queue.py", N_("Review queue"), ":material/rate_review:", "progress.review",
             N_("Progress Reports")),
    PageSpec("pages/coverage.py", N_("Coverage"), ":material/checklist:", "coverage.view", N_("Progress Reports")),
    PageSpec("pages/assignments.py", N_("Focal points and deadlines"), ":material/group_add:", "assignments.manage",
             N_("Administration")),
    PageSpec("pages/reminders.py", N_("Reminders"), ":material/notifications_active:", "reminders.manage",
             N_("Administration")),
    PageSpec("pages/register_admin.py", N_("Register import and export"), ":material/upload_file:", "register.import",
             N_("Administration")),
    PageSpec("pages/users_admin.py", N_("Users"), ":material/group:", "users.manage", N_("Administration")),
    PageSpec("pages/components_admin.py", N_("Organisations"), ":material/corporate_fare:", "components.manage",
             N_("Administration")),
    PageSpec("pages/access_requests.py", N_("Access requests"), ":material/person_add:", "access.review",
             N_("Administration")),
    PageSpec("pages/audit_trail.py", N_("Audit trail"), ":material/history:", "audit.view", N_("Administration")),
    PageSpec("pages/sent_mail.py", N_("Sent mail"), ":material/outgoing_mail:", "mail.view", N_("Administration")),
    PageSpec("pages/backup.py", N_("Backup"), ":material/backup:", "backup.manage", N_("Administration")),
    PageSpec("pages/notifications.py", N_("Notifications"), ":material/notifications:", "notifications.view",
             N_("Help"), hidden=True),  # opened by the bell in the sidebar (ui/bell.py), which shows the unread count
    PageSpec("pages/my_account.py", N_("My account"), ":material/account_circle:", "account.edit", N_("Help")),
    PageSpec("pages/guide.py", N_("Guide"), ":material/help:", "guide.view", N_("Help")),
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
        page = st.Page(spec.path, title=_(spec.title), icon=spec.icon, default=spec is landing,
                       visibility="hidden" if spec.hidden else "visible")
        sections.setdefault(_(spec.section), []).append(page)
    return st.navigation(sections, expanded=True)  # an admin has 20 pages: none hidden behind "View more"
