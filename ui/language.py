"""The language of a run (issue 14), chosen at its start and held by locales for everything drawn after:

1. the signed-in user's preference (app_user.language, saved by My account and by the switch below);
2. else ?lang= in the URL, so a shared link opens in the sender's language;
3. else the language this browser chose with the switch earlier in the session;
4. else the browser's (st.context.locale); else English.

The switch in the sidebar (every page, signed in or out) changes the whole page at once (its callback runs
before the script), writes ?lang= and, for a signed-in user, saves the preference (services.my_account,
audited). Every run puts ?lang= back in the URL when the language is not English, so links copied from any
page (the sidebar's navigation drops query parameters) keep it.
"""

import streamlit as st

import locales
from locales import _
from services import my_account
from services.errors import ServiceError
from services.permissions import Actor, can

PARAMETER = "lang"
_CHOSEN = "_rt_language"  # what this browser session chose with the switch (visitors; the sign-in screen)
_SWITCH = "_rt_language_switch"


def _browser() -> str | None:
    try:
        return locales.valid(st.context.locale)
    except Exception:  # no browser (AppTest, a bare script run): no locale to read
        return None


def choose(actor: Actor | None = None) -> str:
    """Set and return the language of this run."""
    url = locales.valid(st.query_params.get(PARAMETER))
    preference = locales.valid(actor.language) if actor is not None else None
    language = preference or url or locales.valid(st.session_state.get(_CHOSEN)) or _browser() or locales.DEFAULT
    locales.set_language(language)
    st.session_state[_CHOSEN] = language  # for the widget callbacks of the next run (see restore)
    if language != locales.DEFAULT or url:
        if st.query_params.get(PARAMETER) != language:
            st.query_params[PARAMETER] = language
    return language


def restore() -> None:
    """Set the language of the latest run again: a widget callback runs before the script, on a thread of its
    own, where nothing chose it yet (ui/write and ui/errors.guarded call this before a callback's write)."""
    remembered = locales.valid(st.session_state.get(_CHOSEN))
    if remembered:
        locales.set_language(remembered)


def _switched(actor: Actor | None) -> None:
    from ui.write import call  # ui.write calls restore() above: imported here, not at the top
    language = locales.valid(st.session_state.get(_SWITCH)) or locales.DEFAULT
    st.session_state[_CHOSEN] = language
    st.query_params[PARAMETER] = language
    if actor is not None and can(actor, "account.edit"):
        try:
            with locales.use(language):
                call(my_account.set_language, actor=actor, language=language)
        except ServiceError as refused:  # the account deactivated meanwhile: the next run signs out anyway
            st.toast(str(refused), icon=":material/error:")
    locales.set_language(language)


def switch(actor: Actor | None = None, where=None) -> None:
    """The language switch (English / Français / Español), in the sidebar unless `where` says otherwise."""
    if st.session_state.get(_SWITCH) != locales.current():  # another choice won (a preference, ?lang=): show it
        st.session_state[_SWITCH] = locales.current()
    (where or st.sidebar).segmented_control(
        _("Language"), options=list(locales.LANGUAGES), format_func=locales.LANGUAGE_NAMES.get, key=_SWITCH,
        required=True, on_change=_switched, args=(actor,), label_visibility="collapsed", width="stretch")


def link_parameters() -> dict[str, str]:
    """The query parameters a link to another page carries so it opens in this language (st.page_link,
    st.switch_page): ?lang= unless the language is English."""
    language = locales.current()
    return {} if language == locales.DEFAULT else {PARAMETER: language}
