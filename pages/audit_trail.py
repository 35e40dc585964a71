"""Audit trail (Secretariat read-only, admin): who changed what and when, filtered by user, entity, action
and dates (kept in the URL), one event's before and after side by side, and a CSV of the filtered events."""

from datetime import date

import pandas as pd
import streamlit as st

import locales
from locales import _, ngettext
from services import audit_trail
from services.errors import NotFound, PermissionDenied
from ui import url_state
from ui.auth import signed_in_actor
from ui.cached import cached
from ui.data import session

LIMIT = 500
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


_options = cached(audit_trail.filter_options, max_entries=16)
_events = cached(audit_trail.search_events, max_entries=32)


actor = signed_in_actor()
st.title(":material/history: " + _("Audit trail"))
st.caption(_("Every change anyone made, newest first, with the values before and after. Times are in UTC."))

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
    url_state.init_date(key, FIRST_DAY, LAST_DAY, label=_("first day") if key == "since" else _("last day"))
    st.session_state[key] = _as_date(st.session_state[key])

user_col, entity_col, action_col, since_col, until_col = st.columns(5)
# Labels made in this run (its language): a format_func may also be called outside the run.
all_users, all_entities, all_actions = _("All users"), _("All entities"), _("All actions")
user_col.selectbox(_("User"), [""] + options["usernames"], key="user",
                   format_func=lambda v: v or all_users)
entity_col.selectbox(_("Entity"), [""] + options["entities"], key="entity",
                     format_func=lambda v: v or all_entities)
action_col.selectbox(_("Action"), [""] + options["actions"], key="action",
                     format_func=lambda v: v or all_actions)
since_col.date_input(_("From"), key="since", min_value=FIRST_DAY, max_value=LAST_DAY, format="DD/MM/YYYY")
until_col.date_input(_("Until"), key="until", min_value=FIRST_DAY, max_value=LAST_DAY, format="DD/MM/YYYY")
url_state.write_back({"user": "", "entity": "", "action": "", "since": None, "until": None})

filters = {
    "username": st.session_state["user"] or None,
    "entity": st.session_state["entity"] or None,
    "action": st.session_state["action"] or None,
    "since": st.session_state["since"],
    "until": st.session_state["until"],
}
if filters["since"] and filters["until"] and filters["since"] > filters["until"]:
    until_col.error(_("The end date is before the start date."), icon=":material/error:")

events = _events(actor=actor, limit=LIMIT, **filters)

# -- the events ---------------------------------------------------------------------------------------------
if events.empty:
    st.info(_("No event matches these filters."), icon=":material/info:")
    st.stop()
count = locales.format_number(len(events))
if len(events) == LIMIT:
    st.caption(ngettext("{n} event: the newest {limit} are shown.", "{n} events: the newest {limit} are shown.",
                        len(events)).format(n=count, limit=locales.format_number(LIMIT)))
else:
    st.caption(ngettext("{n} event: select one to see its changes.", "{n} events: select one to see its changes.",
                        len(events)).format(n=count))
picked = st.dataframe(
    events, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key="audit_events",
    column_config={
        "id": st.column_config.NumberColumn(_("Event"), format="%d"),
        "at": st.column_config.DatetimeColumn(_("When (UTC)"), format="YYYY-MM-DD HH:mm:ss"),
        "user": _("User"), "action": _("Action"), "entity": _("Entity"), "entity_id": _("Record"),
        "before": st.column_config.TextColumn(_("Before"), width="medium"),
        "after": st.column_config.TextColumn(_("After"), width="medium"),
    },
)


def _csv() -> bytes:  # built when the button is clicked, with the filters of this run
    with session() as s:
        return audit_trail.export_events_csv(session=s, actor=actor, **filters)


st.download_button(_("Download CSV"), _csv, file_name="audit-trail.csv", mime="text/csv",
                   icon=":material/download:", help=_("Every event matching the filters, not only those shown."))

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

st.subheader(_("Event {id}").format(id=detail["id"]), anchor=False)
st.text(_("{action} {entity} {record} by {user}, {at} UTC").format(
    action=detail["action"], entity=detail["entity"], record=detail["entity_id"] or "", user=detail["user"],
    at=f"{detail['at']:%Y-%m-%d %H:%M:%S}"))
if detail["fields"]:
    st.caption(ngettext("{n} field changed, listed first.", "{n} fields changed, listed first.",
                        len(detail["changed"])).format(n=locales.format_number(len(detail["changed"]))))
    st.dataframe(
        pd.DataFrame(detail["fields"], columns=["field", "before", "after", "changed"]), hide_index=True,
        width="stretch", key="audit_fields",
        column_config={"field": _("Field"), "before": st.column_config.TextColumn(_("Before"), width="large"),
                       "after": st.column_config.TextColumn(_("After"), width="large"),
                       "changed": st.column_config.CheckboxColumn(_("Changed"))},
    )
before_col, after_col = st.columns(2)
with before_col:
    st.markdown("**" + _("Before") + "**")
    if detail["before"]:
        st.json(detail["before"])
    else:
        st.caption(_("No values recorded."))
with after_col:
    st.markdown("**" + _("After") + "**")
    if detail["after"]:
        st.json(detail["after"])
    else:
        st.caption(_("No values recorded."))
