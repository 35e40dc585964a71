"""The one write path of pages: open the transaction, call the service, and show whatever the service refused
the same way on every page.

    form = Feedback("profile", fields=("display_name", "email"))  # every run, before the form is drawn
    form.summary()                              # above the form: the refusal, or "please correct ..."
    st.text_input("Email", key="email")
    form.field("email")                         # right under its widget: that field's messages
    ...
    if form.run(my_account.update_profile, actor=actor, email=...) is not FAILED:
        flash("Saved.")
    st.rerun()                                  # after a write in the script body (none in a callback)

Why this shape:
- A service error is the user's to read, never a crash: ValidationFailed shows each message next to its
  field (messages for fields the form does not show go into the summary), ConflictError, PermissionDenied,
  NotFound and any other ServiceError show as one message above the form. Anything else is a bug or an
  outage and goes on to ui/errors.py's error screen, untouched.
- The outcome lives in session state, so it is drawn wherever the page draws the form, in the run that
  follows: a write made in a widget callback runs before the page; one made in the script body is followed
  by st.rerun(). Only the outcome of the latest write is kept (starting a write forgets the previous one),
  and it stays until the next write or `clear()`.
- The user's input is never touched on failure: widgets keep their keys and their values.
- Service messages may quote what the user typed: they are shown Markdown-escaped.
"""

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from db.engine import transaction
from locales import _, ngettext
from services.errors import ConflictError, FieldError, NotFound, ServiceError, ValidationFailed
from ui import language, mail_worker
from ui.data import engine, forget_versions
from ui.format import escape_md
from ui.import_problems import show_import_problems

_STATE = "_rt_write_outcome"


class _Failed:
    """What `Feedback.run` returns when the service refused: a marker, as a result may itself be None or 0
    (compare with `is FAILED`; it is also falsy)."""

    def __repr__(self) -> str:
        return "FAILED"

    def __bool__(self) -> bool:
        return False


FAILED = _Failed()

ICONS = {"invalid": ":material/error:", "conflict": ":material/sync_problem:", "refused": ":material/block:",
         "not_found": ":material/search_off:"}


@dataclass
class Outcome:
    """A refused write, as plain data: which form, what kind of refusal, its message or field messages."""
    key: str
    kind: str  # invalid | conflict | refused | not_found
    message: str = ""
    errors: list[FieldError] = field(default_factory=list)
    file_import: bool = False  # errors carry file lines: shown as the table of import problems


def call(service: Callable, /, **kwargs) -> Any:
    """Run `service(session=..., **kwargs)` in one transaction (committed on success, rolled back on any
    error) and return its result. For services that answer refusals in their result, not by raising (the
    sign-in); everything else goes through `Feedback.run`, which shows the errors."""
    language.restore()  # a callback's write speaks the user's language too (its messages)
    with transaction(engine()) as session:
        return service(session=session, **kwargs)


def _outcome(key: str, error: ServiceError, file_import: bool) -> Outcome:
    if isinstance(error, ValidationFailed):
        return Outcome(key, "invalid", str(error), list(error.errors), file_import)
    kind = ("conflict" if isinstance(error, ConflictError) else "not_found" if isinstance(error, NotFound)
            else "refused")  # PermissionDenied, and any other ServiceError
    return Outcome(key, kind, str(error))


class Feedback:
    """The feedback of one form or one action button, under `key` (unique on the page; add the record's id
    when a page shows one form per record). `fields`: the field names the form shows messages for with
    `field()`; messages on any other field go into the summary. `not_done` heads those messages
    ("Not saved", "Not returned"): English marked with N_, translated when shown (a Feedback is often made at
    import time)."""

    def __init__(self, key: str, *, fields: Iterable[str] = (), not_done: str | None = None) -> None:
        self.key = key
        self.fields = frozenset(fields)
        self._not_done = not_done

    @property
    def not_done(self) -> str:
        return _(self._not_done) if self._not_done else _("Not saved")

    # -- writing ------------------------------------------------------------------------------------
    def run(self, service: Callable, /, **kwargs) -> Any:
        """`service(session=..., **kwargs)` in one transaction; its result, or FAILED when it raised a
        ServiceError (then nothing was written and the outcome is kept for this form)."""
        return self._attempt(lambda: call(service, **kwargs), file_import=False)

    def run_import(self, service: Callable, /, **kwargs) -> Any:
        """A file import, which is all-or-nothing in transactions of its own: `service(engine=..., **kwargs)`;
        its refusal lists every problem with its line."""
        language.restore()
        return self._attempt(lambda: service(engine=engine(), **kwargs), file_import=True)

    def _attempt(self, write: Callable[[], Any], *, file_import: bool) -> Any:
        st.session_state.pop(_STATE, None)
        try:
            result = write()
        except ServiceError as error:  # anything else is not the user's to read: the error screen has it
            st.session_state[_STATE] = _outcome(self.key, error, file_import)
            return FAILED
        mail_worker.nudge()  # committed: any mail it queued (a notification, a link) goes now, not next round
        forget_versions()  # this run's next reads see the write (an import commits without the ORM's event)
        return result

    def clear(self) -> None:
        """Forget this form's outcome (the page loads another record, or the stored version again)."""
        if self.outcome is not None:
            st.session_state.pop(_STATE, None)

    # -- what the form shows -------------------------------------------------------------------------
    @property
    def outcome(self) -> Outcome | None:
        """The refusal of this form's latest write, or None."""
        stored = st.session_state.get(_STATE)
        return stored if isinstance(stored, Outcome) and stored.key == self.key else None

    def messages(self, name: str) -> list[str]:
        """The messages on field `name`, as shown."""
        outcome = self.outcome
        return [escape_md(_(e.message)) for e in outcome.errors if e.field == name] if outcome else []

    def field(self, name: str, where=None) -> None:
        """Draw the messages on field `name` here (call it right after the widget), or in `where`."""
        for message in self.messages(name):
            (where or st).error(message, icon=ICONS["invalid"])

    def fill(self, slots: dict) -> None:
        """Draw each field's messages in its slot: {field name: the container right under its widget}."""
        for name, where in slots.items():
            self.field(name, where)

    def summary(self, where=None, *, reload: tuple[str, Callable[[], None]] | None = None,
                toast: bool = False) -> None:
        """Draw the one message above the form (or in `where`): the refusal, or how many fields to correct
        and the messages that belong to no field of the form. `reload`: (label, callback) of a button offered
        after a conflict, to load the stored version instead of the user's. `toast`: also a toast, for a long
        form whose top may be out of sight."""
        outcome = self.outcome
        if outcome is None:
            return
        if outcome.kind == "invalid" and outcome.file_import:
            with where if where is not None else nullcontext():
                show_import_problems(ValidationFailed(outcome.errors))
            return
        where = where or st
        where.error(self._summary_text(outcome), icon=ICONS[outcome.kind])
        if toast:
            st.toast(_("{not_done}: see the message at the top of the form.").format(not_done=self.not_done),
                     icon=":material/warning:")
        if reload and outcome.kind == "conflict":
            label, callback = reload
            where.button(label, key=f"{self.key}_reload", icon=":material/refresh:",
                         on_click=self._reload, args=(callback,))

    def _summary_text(self, outcome: Outcome) -> str:
        if outcome.kind != "invalid":
            return escape_md(_(outcome.message))
        shown = sum(1 for e in outcome.errors if e.field in self.fields)
        lines = [ngettext("Please correct this problem (shown next to the field). Nothing you typed was lost.",
                          "Please correct these {n} problems (shown next to each field). Nothing you typed was "
                          "lost.", shown).format(n=shown)] if shown else []
        lines += [_("{not_done}: {message}").format(not_done=self.not_done, message=escape_md(_(e.message)))
                  for e in outcome.errors if e.field not in self.fields]
        return "  \n".join(lines) or _("{not_done}.").format(not_done=self.not_done)

    def _reload(self, callback: Callable[[], None]) -> None:
        self.clear()
        callback()
