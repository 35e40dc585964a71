"""The user's work in the reporting cycle (analytics/cycle.my_work), shown with a link to where to act.

Analytics names each destination by a key (cycle.DESTINATIONS) and knows no pages; the keys are turned
into pages here, from the page list of ui/navigation.py, so a moved page is changed in one place.
"""

import streamlit as st

import locales
from analytics import cycle
from locales import _
from services.permissions import Actor
from ui.navigation import visible_specs

DESTINATION_PAGES = {
    "my_reports": "pages/my_reports.py",
    "my_resolutions": "pages/my_resolutions.py",
    "coverage": "pages/coverage.py",
    "review_queue": "pages/review_queue.py",
    "assignments": "pages/assignments.py",
    "analysis": "pages/analysis.py",
}
assert set(DESTINATION_PAGES) == set(cycle.DESTINATIONS)


def page_of(item: cycle.WorkItem, actor: Actor) -> str | None:
    """The page where the actor acts on the item, or None when it has no destination the actor may open."""
    path = DESTINATION_PAGES.get(item.destination)
    return path if path and any(p.path == path for p in visible_specs(actor)) else None


def show(work: list[cycle.WorkItem], actor: Actor) -> None:
    """The work items by stage of the cycle: count, label, and an Open link where the actor may act."""
    for stage in cycle.STAGES:
        items = [w for w in work if w.stage == stage]
        if not items:
            continue
        st.markdown(f"**{_(cycle.STAGE_TITLES[stage])}**")
        for item in items:
            row = st.columns([1, 8, 2], vertical_alignment="center")
            row[0].markdown(f"### {locales.format_number(item.count)}")
            row[1].markdown(item.label)
            page = page_of(item, actor)
            if page:
                with row[2]:
                    st.page_link(page, label=_("Open"), icon=":material/arrow_forward:", query_params=item.query)
