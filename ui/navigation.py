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


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/register.py", "Resolutions", ":material/gavel:", EVERYONE, "Resolutions",
             landing_for=EVERYONE),
    PageSpec("pages/resolution.py", "Resolution", ":material/description:", EVERYONE, "Resolutions",
             hidden=True),
    PageSpec("pages/register_admin.py", "Register import and export", ":material/upload_file:",
             frozenset({"secretariat", "admin"}), "Administration"),
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
    return st.navigation(sections)
