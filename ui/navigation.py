"""Which pages each role sees. A page a role may not see is not registered for it, so it is unreachable."""

from dataclasses import dataclass

import streamlit as st

from services.permissions import Actor

EVERYONE = frozenset({"reporter", "focal_point", "secretariat", "leadership", "admin"})


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    roles: frozenset[str]
    section: str
    landing_for: frozenset[str] = frozenset()  # roles that land on this page
    hidden: bool = False  # reachable by link only (detail views)


FOCAL = frozenset({"focal_point"})
REPORTERS = frozenset({"reporter", "focal_point", "secretariat"})
SECRETARIAT = frozenset({"secretariat"})

PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/monitoring:", EVERYONE, "Progress",
             landing_for=frozenset({"leadership", "secretariat"})),
    PageSpec("pages/analysis.py", "Yearly analysis", ":material/summarize:",
             frozenset({"secretariat", "leadership", "focal_point"}), "Progress"),
    PageSpec("pages/body_of_policy.py", "Body of policy", ":material/account_balance:", EVERYONE, "Progress"),
    PageSpec("pages/register.py", "Resolutions", ":material/gavel:", EVERYONE, "Resolutions"),
    PageSpec("pages/resolution.py", "Resolution", ":material/description:", EVERYONE, "Resolutions",
             hidden=True),
    PageSpec("pages/my_reports.py", "My reports", ":material/folder_shared:", REPORTERS, "Activity Reports",
             landing_for=frozenset({"reporter"})),
    PageSpec("pages/report_activity.py", "Report an activity", ":material/edit_note:", REPORTERS,
             "Activity Reports"),
    PageSpec("pages/my_resolutions.py", "My Resolutions", ":material/assignment_ind:", FOCAL,
             "Progress Reports", landing_for=FOCAL),
    PageSpec("pages/progress_report.py", "Progress Report", ":material/edit_document:",
             frozenset({"focal_point", "secretariat"}), "Progress Reports", hidden=True),
    PageSpec("pages/review_queue.py", "Review queue", ":material/rate_review:", SECRETARIAT,
             "Progress Reports"),
    PageSpec("pages/coverage.py", "Coverage", ":material/checklist:", frozenset({"secretariat", "focal_point"}),
             "Progress Reports"),
    PageSpec("pages/assignments.py", "Focal points and deadlines", ":material/group_add:", SECRETARIAT,
             "Administration"),
    PageSpec("pages/register_admin.py", "Register import and export", ":material/upload_file:", SECRETARIAT,
             "Administration"),
    PageSpec("pages/users_admin.py", "Users", ":material/group:", frozenset({"admin"}), "Administration"),
    PageSpec("pages/components_admin.py", "Organisations", ":material/corporate_fare:", frozenset({"admin"}),
             "Administration"),
    PageSpec("pages/access_requests.py", "Access requests", ":material/person_add:", frozenset({"admin"}),
             "Administration"),
    PageSpec("pages/audit_trail.py", "Audit trail", ":material/history:", frozenset({"secretariat", "admin"}),
             "Administration"),
    PageSpec("pages/sent_mail.py", "Sent mail", ":material/outgoing_mail:", frozenset({"admin"}),
             "Administration"),
    PageSpec("pages/my_account.py", "My account", ":material/account_circle:", EVERYONE, "Help"),
    PageSpec("pages/guide.py", "Guide", ":material/help:", EVERYONE, "Help"),
)


def visible_specs(actor: Actor) -> list[PageSpec]:
    roles = set(actor.roles) | ({"admin"} if "admin" in actor.roles else set())
    return [p for p in PAGES if "admin" in roles or p.roles & roles]


def build_navigation(actor: Actor):
    specs = visible_specs(actor)
    landing = next((p for p in specs if p.landing_for & actor.roles), specs[0])
    sections: dict[str, list] = {}
    for spec in specs:
        page = st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec is landing,
                       visibility="hidden" if spec.hidden else "visible")
        sections.setdefault(spec.section, []).append(page)
    return st.navigation(sections, expanded=True)  # an admin has 20 pages: none hidden behind "View more"
