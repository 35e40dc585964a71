"""Input not saved yet survives a visit to another page (issue 11). Streamlit forgets the values of the widgets
a run does not draw, so a form left for another page came back reloaded from the database, or, in the
Progress Report editor, empty (a save then blanked the report).

A form page calls `track` after drawing its widgets; app.py calls `carry` at the start of every signed-in run,
when the session still holds what the browser sent for the widgets of the page being left; the form page calls
`restore` before loading its report. So what reached the app is brought back: a Save or Submit that was refused
(the form as sent, with its messages), choices made outside the form (the editor's sources). Text typed inside an
st.form since its last button is still in the browser only and cannot be: without the form, each text box sends
itself on leaving it, which costs the click on a page link that caused it (measured in Chromium), so the note
asks to save a draft before leaving. Kept in this browser session only (never in the database), for the user
and the report it was typed into, until it is saved (`forget`)."""

from collections.abc import Hashable, Iterable

import streamlit as st

from locales import N_, _

_TRACKED = "_rt_unsaved_forms"  # form -> (user id, source, widget keys) of the form last drawn
_KEPT = "_rt_unsaved"  # form -> (user id, source, {widget key: value}); plain state: Streamlit keeps it
NOTE = N_("Save a draft before you leave this page: text typed since your last Save draft or Submit is not kept.")


def _snapshot(form: str, user_id: int, source: Hashable, keys: Iterable[str]) -> None:
    """The values of `keys` the session holds now, over those kept before for the same user and source (a run
    after the widgets were forgotten, or with only some set again by a callback, keeps the rest)."""
    store = st.session_state.setdefault(_KEPT, {})
    before = store.get(form)
    values = dict(before[2]) if before is not None and before[:2] == (user_id, source) else {}
    values |= {k: st.session_state[k] for k in keys if k in st.session_state}
    if values:
        store[form] = (user_id, source, values)


def track(form: str, user_id: int, source: Hashable, keys: Iterable[str]) -> None:
    """After drawing the form: its widgets (`keys`) hold what `user_id` typed into `source` (which report)."""
    keys = tuple(keys)
    st.session_state.setdefault(_TRACKED, {})[form] = (user_id, source, keys)
    _snapshot(form, user_id, source, keys)


def carry() -> None:
    """At the start of a run: keep the latest values of every tracked form still in the session (the page
    being left sent them with this run; Streamlit drops them at its end if the new page does not draw them)."""
    for form, (user_id, source, keys) in list(st.session_state.get(_TRACKED, {}).items()):
        _snapshot(form, user_id, source, keys)


def restore(form: str, user_id: int, source: Hashable, keys: Iterable[str]) -> bool:
    """Before loading the report: when Streamlit forgot some of the form's widgets (`keys`; a callback of the
    page being left may have set others again) and input of the same user for the same `source` is kept, put
    the forgotten ones back. True when it did: the caller then does not load the report again."""
    keys = tuple(keys)
    kept = st.session_state.get(_KEPT, {}).get(form)
    if kept is None or kept[:2] != (user_id, source) or all(k in st.session_state for k in keys):
        return False
    for key, value in kept[2].items():
        if key not in st.session_state:
            st.session_state[key] = value
    return True


def forget(form: str) -> None:
    """The input is saved (or given up): nothing to bring back."""
    st.session_state.get(_KEPT, {}).pop(form, None)
    st.session_state.get(_TRACKED, {}).pop(form, None)


def note(restored: bool) -> None:
    """The line of a form that says its input is kept, and whether it was just brought back."""
    if restored:
        st.info(_("Your unsaved changes are back, as you left them."), icon=":material/restore:")
    st.caption(_(NOTE))
