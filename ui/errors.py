"""The error screen: what a browser sees when a page fails (the database locked or down, or a bug).

Never a traceback, SQL, values, host or port: a plain message, and a short error id that is also in the log
line holding every detail, so an administrator can find it. The user's input is kept: Streamlit keeps
widget state when a run stops early, and every way in here stops the run (st.stop) instead of letting it
finish without the widgets it did not draw (a finished run would drop their state).

- `run_page(page)`: app.py runs the page through it.
- `fail(error)`: app.py's gate (sign-in, the database check) calls it for anything it did not expect.
- `guarded(callback)`: a widget callback (on_click=guarded(save)) that fails is reported at the top of the
  page, which is then drawn as usual with everything the user typed.
- `on_script_error`: the same screen for whatever nothing above caught: given to st.App by asgi.py, and
  made the process-wide default by `install()` (app.py's first line) for `streamlit run app.py`.

Each error is one JSON log line (services/logs.py) with `error_id`, the id the user sees.

Streamlit's own control flow (st.rerun, st.switch_page: RerunException; st.stop: StopException) derives
from BaseException, is never caught here and so passes through.
"""

import logging
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

import streamlit as st
from sqlalchemy import exc as sa_exc

from locales import N_, _
from services import logs

log = logging.getLogger("resolutions_tracker.errors")

DATABASE_MESSAGE = N_("The database is not answering. Your text is kept: try again in a moment.")
OTHER_MESSAGE = N_("Something went wrong on our side. Your text is kept: try again, and if it happens again "
                   "give the administrator the error id.")


def database_unavailable(error: BaseException) -> bool:
    """A lock, a lost or refused connection, a pool timeout: the database, not the request, is at fault."""
    if isinstance(error, sa_exc.DBAPIError):
        return error.connection_invalidated or isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
    return isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError | sqlite3.OperationalError)


def report(error: BaseException) -> tuple[str, str]:
    """Log `error` with every detail under a new error id; returns (the message for the user, the id)."""
    error_id = uuid.uuid4().hex[:8]
    database = database_unavailable(error)
    log.error("error id %s: %s", error_id, "database not answering" if database else "unexpected error",
              exc_info=error, extra={"event": "request_error", "error_id": error_id,
                                     "cause": "database" if database else "unexpected"})
    return (DATABASE_MESSAGE if database else OTHER_MESSAGE), error_id


def show(message: str, error_id: str, where=None) -> None:
    (where or st).error(_("{message} (Error id: {error_id})").format(message=_(message), error_id=error_id),
                        icon=":material/cloud_off:")


def developing() -> bool:
    """Tracebacks are for developers: only when client.showErrorDetails lets Streamlit show them (its
    default; the project's .streamlit/config.toml says "none")."""
    return str(st.get_option("client.showErrorDetails")).lower() in {"full", "stacktrace", "true"}


def fail(error: Exception, where=None) -> None:
    """Show the error screen for `error` and stop this run (input kept). In development an unexpected
    error goes on to Streamlit too, which shows its traceback (and a test sees it as an exception)."""
    message, error_id = report(error)
    show(message, error_id, where)
    if developing() and not database_unavailable(error):
        raise error
    st.stop()


@contextmanager
def screen(where=None) -> Iterator[None]:
    """Anything raised in the block gets the error screen."""
    try:
        yield
    except Exception as error:  # Streamlit's control flow is a BaseException: not caught
        fail(error, where)


def run_page(page) -> None:
    """Run the navigation's page (app.py's last line) with the error screen, at the top of the page."""
    with screen(where=st.empty()):
        page.run()


def guarded(callback: Callable) -> Callable:
    """A widget callback whose failure is logged and shown at the top of the page, which is then drawn as
    usual, with everything the user typed (on_click=guarded(save))."""
    @wraps(callback)
    def run(*args, **kwargs):
        from ui.language import restore  # ui.language stands on ui.write, which stands on nothing here

        restore()  # the callback runs before the script: in the language of the latest run
        try:
            return callback(*args, **kwargs)
        except Exception as error:
            message, error_id = report(error)
            show(message, error_id)  # written by a callback: shown above the page drawn next
            if developing() and not database_unavailable(error):
                raise
            return None

    return run


def on_script_error(error: Exception) -> bool:
    """Streamlit's handler for an error nothing above caught (a page run alone, a widget callback): the error
    screen instead of Streamlit's, and a button that draws the page again with the kept input (the failed
    run drew nothing else). True tells Streamlit not to show its own."""
    message, error_id = report(error)
    show(message, error_id)
    st.button(_("Try again"), key="_rt_try_again", icon=":material/refresh:")
    return not developing() or database_unavailable(error)


def install() -> None:
    """Make on_script_error the handler of every script run in this process, as st.App(on_script_error=)
    does for asgi.py, so `streamlit run app.py` has it too: Streamlit sometimes runs a pages/ file without
    app.py (AppTest after switch_page; a fresh server's first request naming a page), and widget callbacks
    run before app.py. The one hook is streamlit.error_util.invoke_script_error_handler, which Streamlit
    calls with the handler configured (None without st.App); if a Streamlit version lacks it, nothing is
    patched and showErrorDetails = "none" still keeps tracebacks out of the browser."""
    from streamlit import error_util

    original = getattr(error_util, "invoke_script_error_handler", None)
    if getattr(original, "rt_error_screen", False):
        return
    logs.configure()  # once per process, as for asgi.py: the error lines (and all others) as JSON lines
    if original is None:
        return

    def invoke(error, handler=None):
        return original(error, handler or on_script_error)

    invoke.rt_error_screen = True
    error_util.invoke_script_error_handler = invoke


def installed() -> bool:
    from streamlit import error_util

    return getattr(getattr(error_util, "invoke_script_error_handler", None), "rt_error_screen", False)
