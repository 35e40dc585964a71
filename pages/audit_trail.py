"""Audit trail (Secretariat read-only, admin): who changed what and when, filtered by user, entity, action
and dates (kept in the URL), one event's before and after side by side, and a CSV of the filtered events."""

from datetime import date

import pandas as pd
import streamlit as st

from services import audit_trail
from services.errors import NotFound, PermissionDenied
from ui import url_state
from ui.auth import signed_in_actor
from ui.cached import cached
from ui.data import session
from ui.format import plural

LIMIT = 500
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


_options = cached(audit_trail.filter_options, max_entries=16)
_events = cached(audit_trail.search_events, max_entries=32)


actor = signed_in_actor()
st.title(":material/history: Audit trail")
st.caption("Every change anyone made, newest first, with the values before and after. Times are in UTC.")

try:
    options = _options(actor=actor)
except PermissionDenied as denied:
    st.error(str(denied), icon=":material/block:")
    st.stop()


def _as_date(value) -> date | None:
    """A date kept in the URL (ISO text) or left by the widget; anything else is no date."""
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return min(max(day, FIRST_DAY), LAST_DAY) if day else None


# -- filters, kept in the URL -------------------------------------------------------------------------------
url_state.init_text("user", "", options["usernames"])
url_state.init_text("entity", "", options["entities"])
url_state.init_text("action", "", options["actions"])
for key in ("since", "until"):
    url_state.init_date(key, FIRST_DAY, LAST_DAY, label="first day" if key == "since" else "last day")
    st.session_state[key] = _as_date(st.session_state[key])

user_col, entity_col, action_col, since_col, until_col = st.columns(5)
user_col.selectbox("User", [""] + options["usernames"], key="user",
                   format_func=lambda v: v or "All users")
entity_col.selectbox("Entity", [""] + options["entities"], key="entity",
                     format_func=lambda v: v or "All entities")
action_col.selectbox("Action", [""] + options["actions"], key="action",
                     format_func=lambda v: v or "All actions")
since_col.date_input("From", key="since", min_value=FIRST_DAY, max_value=LAST_DAY, format="DD/MM/YYYY")
until_col.date_input("Until", key="until", min_value=FIRST_DAY, max_value=LAST_DAY, format="DD/MM/YYYY")
url_state.write_back({"user": "", "entity": "", "action": "", "since": None, "until": None})

filters = {
    "username": st.session_state["user"] or None,
    "entity": st.session_state["entity"] or None,
    "action": st.session_state["action"] or None,
    "since": st.session_state["since"],
    "until": st.session_state["until"],
}
if filters["since"] and filters["until"] and filters["since"] > filters["until"]:
    until_col.error("The end date is before the start date.", icon=":material/error:")

events = _events(actor=actor, limit=LIMIT, **filters)

# -- the events ---------------------------------------------------------------------------------------------
if events.empty:
    st.info("No event matches these filters.", icon=":material/info:")
    st.stop()
shown = f"the newest {LIMIT:,} are shown" if len(events) == LIMIT else "select one to see its changes"
st.caption(f"{plural(len(events), 'event')}: {shown}.")
picked = st.dataframe(
    events, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key="audit_events",
    column_config={
        "id": st.column_config.NumberColumn("Event", format="%d"),
        "at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm:ss"),
        "user": "User", "action": "Action", "entity": "Entity", "entity_id": "Record",
        "before": st.column_config.TextColumn("Before", width="medium"),
        "after": st.column_config.TextColumn("After", width="medium"),
    },
)


def _csv() -> bytes:  # built when the button is clicked, with the filters of this run
    with session() as s:
        return audit_trail.export_events_csv(session=s, actor=actor, **filters)


st.download_button("Download CSV", _csv, file_name="audit-trail.csv", mime="text/csv",
                   icon=":material/download:", help="Every event matching the filters, not only those shown.")

# -- one event: before and after side by side ---------------------------------------------------------------
rows = [r for r in picked.selection.rows if r < len(events)]
if not rows:
    st.stop()
event_id = int(events.iloc[rows[0]]["id"])
try:
    with session() as s:
        detail = audit_trail.event_detail(session=s, actor=actor, event_id=event_id)
except NotFound as missing:
    st.error(str(missing), icon=":material/error:")
    st.stop()

st.subheader(f"Event {detail['id']}", anchor=False)
st.text(f"{detail['action']} {detail['entity']} {detail['entity_id'] or ''} by {detail['user']}, "
        f"{detail['at']:%Y-%m-%d %H:%M:%S} UTC")
if detail["fields"]:
    st.caption(f"{plural(len(detail['changed']), 'field')} changed, listed first.")
    st.dataframe(
        pd.DataFrame(detail["fields"], columns=["field", "before", "after", "changed"]), hide_index=True,
        width="stretch", key="audit_fields",
        column_config={"field": "Field", "before": st.column_config.TextColumn("Before", width="large"),
                       "after": st.column_config.TextColumn("After", width="large"),
                       "changed": st.column_config.CheckboxColumn("Changed")},
    )
before_col, after_col = st.columns(2)
with before_col:
    st.markdown("**Before**")
    if detail["before"]:
        st.json(detail["before"])
    else:
        st.caption("No values recorded.")
with after_col:
    st.markdown("**After**")
    if detail["after"]:
        st.json(detail["after"])
    else:
        st.caption("No values recorded.")
