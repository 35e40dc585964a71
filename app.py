"""Resolutions Tracker: configuration, the product header, sign-in gate, role-based navigation (the public pages
for visitors), sign-out. Nothing else."""

import streamlit as st

from db.settings import ConfigurationError, load_settings
from db.vocab import ROLE_LABELS
from locales import _
from ui import bell, errors, language, look, mail_worker, unsaved, unsubscribe
from ui.auth import (
    gate,
    leave_pages_folder_mode,
    register_sign_in_only,
    sign_out_button,
    signed_out_page,
    visitor_sidebar,
    write_cookie,
)
from ui.data import engine
from ui.format import escape_md
from ui.navigation import build_navigation

errors.install()  # the plain error screen for any uncaught error, in every run of this process
leave_pages_folder_mode()  # a fresh server's first run: run again as the app, before anything is drawn
settings = load_settings()
language.choose()  # the URL's, this session's or the browser's language, before anything is drawn
# The logo as the tab's icon too: a file of the app, so no icon is fetched from the internet.
st.set_page_config(page_title=settings.product_name, page_icon=str(look.logo_file(settings)), layout="wide")

try:
    settings.check()
    look.header(settings)
    engine()  # the schema is upgraded and the database checked before anyone signs in
    mail_worker.start(settings)
    if unsubscribe.answered(settings):  # an unsubscribe link works signed in or not
        register_sign_in_only()
        st.stop()
    actor = gate(settings)
    language.choose(actor)  # signed in: the user's preference
except ConfigurationError as problem:
    st.error(_("The app cannot start: {problem}").format(problem=problem), icon=":material/error:")
    register_sign_in_only()
    st.stop()
except Exception as failure:  # the database locked or down: a plain screen, never a traceback
    register_sign_in_only()
    errors.fail(failure)

if actor is None:  # a visitor: the public pages (published content only), else the sign-in screen
    public_page = signed_out_page(settings)
    write_cookie(settings)
    if public_page is None:
        st.stop()
    visitor_sidebar(public_page)  # with the language switch
    errors.run_page(public_page)
    st.stop()

st.session_state["actor"] = actor
unsaved.carry()  # what the page being left sent (typed text included), before Streamlit drops its widgets
page = build_navigation(actor)
with st.sidebar:
    bell.show(actor)  # unread notifications, linking to their list
    st.caption(_("Signed in as **{name}** · {roles}").format(
        name=escape_md(actor.display_name), roles=", ".join(_(ROLE_LABELS[r]) for r in sorted(actor.roles))))
    language.switch(actor)
    sign_out_button(settings)
    write_cookie(settings)
errors.run_page(page)
