"""Unsaved form input kept for the user session, so a visit to another page does not lose it.

Streamlit drops a widget's value at the end of any run that does not draw the widget (every run of another
page). A form page therefore copies its widgets' values under one non-widget key per form and entity (the
report or analysis being edited) and puts them back when it is drawn again; a successful save, or asking for
the saved version, forgets the copy. Widgets must be outside st.form: a form sends nothing until submitted.
"""

from collections.abc import Iterable
from typing import Any

import streamlit as st

STORE = "_kept_input"  # {"<user id>:<form>:<entity>": {widget key: value}}, never a widget key itself
NOTE = ("What you type here is kept while you visit other pages, until you save it or sign out.")


class Kept:
    """The kept copy of one form's widgets (`keys`) for one entity: `form` names the form, `entity` says which
    report, year... it holds (anything with a stable str())."""

    def __init__(self, form: str, entity: Any, keys: Iterable[str]):
        # Per signed-in user too: a sign-out keeps the browser session, and the next person to sign in there
        # must never get the last one's text back.
        user = getattr(st.session_state.get("actor"), "id", None)
        self.slot = f"{user}:{form}:{entity}"
        self.keys = tuple(keys)

    def _store(self) -> dict:
        return st.session_state.setdefault(STORE, {})

    @property
    def held(self) -> dict[str, Any] | None:
        return self._store().get(self.slot)

    def _current(self) -> dict[str, Any]:
        return {k: st.session_state[k] for k in self.keys if k in st.session_state}

    def loaded(self) -> None:
        """The form was just filled from the stored report (or left empty): what counts as unchanged."""
        self._store()["base:" + self.slot] = self._current()

    def remember(self) -> None:
        """Copy the widgets' values when they differ from what was loaded. Run after the widgets are drawn,
        and as their on_change (which runs first in the next run, whichever page it draws: a change sent by
        leaving the page is kept too)."""
        values = self._current()
        if not values:
            return
        if values == self._store().get("base:" + self.slot):
            self._store().pop(self.slot, None)
        else:
            self._store()[self.slot] = (self.held or {}) | values

    def restore(self) -> bool:
        """Right after the form is filled (and `loaded`): put the kept values back over it. True when any
        kept value differs from what was loaded, that is when the user gets unsaved changes back."""
        put_back = False
        for key, value in (self.held or {}).items():
            if st.session_state.get(key) != value:
                st.session_state[key] = value
                put_back = True
        return put_back

    def resend(self) -> None:
        """Before the widgets are drawn, on every run: hand the browser the values again. A visit to another
        page may end in a run cut short, which keeps the widgets' values on the server while the browser has
        dropped its own and would show the fields empty; a value set here is always shown."""
        for key in self.keys:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]

    def forget(self) -> None:
        """After a successful save or a reload of the saved version."""
        self._store().pop(self.slot, None)
        self._store().pop("base:" + self.slot, None)


def note(restored: bool = False) -> None:
    """The sentence on the form saying its input is kept (and, when it was just put back, that it was)."""
    if restored:
        st.info("Your unsaved changes from earlier in this session are back. " + NOTE,
                icon=":material/settings_backup_restore:")
    else:
        st.caption(":material/save_as: " + NOTE)
