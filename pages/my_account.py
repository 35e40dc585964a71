"""My account (every role): one's display name, email and preferred language, which mail one receives, one's
password, and the other browsers signed in to the account."""

import streamlit as st

import locales
from db.settings import load_settings
from db.vocab import LANGUAGE_LABELS, LANGUAGES, MAIL_DELIVERY_LABELS, ROLE_LABELS
from locales import _, ngettext
from services import my_account, passwords
from ui.auth import SESSION_KEY, signed_in_actor
from ui.data import session
from ui.flash import flash, show_flash
from ui.format import fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
settings = load_settings()
token = st.session_state.get(SESSION_KEY)  # this browser's session: it stays open
st.title(":material/account_circle: " + _("My account"))
st.caption(_("Your name, email address and language, the mail you receive, your password, and where else you are "
             "signed in."))
show_flash()

with session() as s:
    me = my_account.profile(session=s, actor=actor, keep_token=token, settings=settings)


# -- profile --------------------------------------------------------------------------------------------
st.subheader(":material/badge: " + _("Profile"), anchor=False)
left, right = st.columns(2)
left.text_input(_("Username"), value=me["username"], disabled=True,
                help=_("Your username never changes. Ask an administrator if it is wrong."))
right.text_input(_("Roles"), value=", ".join(_(ROLE_LABELS[r]) for r in me["roles"]), disabled=True,
                 help=_("An administrator gives and takes roles."))
if me["components"]:
    st.text(_("Components: {names}").format(names="; ".join(me["components"])))
st.caption(_("Account created {created} · last sign-in {signed_in}").format(
    created=fmt_date(me["created_at"]), signed_in=fmt_date(me["last_sign_in_at"])))

for key, value in (("account_display_name", me["display_name"]), ("account_email", me["email"]),
                   ("account_language", me["language"])):
    st.session_state.setdefault(key, value)
profile = Feedback("account_profile", fields=("display_name", "email", "language"))
profile.summary()
with st.form("profile_form", clear_on_submit=False):
    st.text_input(_("Display name"), key="account_display_name", max_chars=my_account.NAME_MAX,
                  help=_("The name others see on reports and in the sidebar."))
    profile.field("display_name")
    st.text_input(_("Email"), key="account_email",
                  help=_("Where the Resolutions Tracker writes to you (password links, reminders). "
                         "Single sign-on finds your account by this address."))
    profile.field("email")
    st.selectbox(_("Preferred language"), LANGUAGES, key="account_language", format_func=LANGUAGE_LABELS.get,
                 help=_("The interface, your mail and your notifications are in this language."))
    st.caption(_("The interface, mail and notifications come in this language. New reports you write are marked "
                 "with it too; you can choose another language on each report."))
    profile.field("language")
    save = st.form_submit_button(_("Save"), type="primary", icon=":material/save:")
if save:
    if profile.run(my_account.update_profile, actor=actor, display_name=st.session_state["account_display_name"],
                   email=st.session_state["account_email"],
                   language=st.session_state["account_language"]) is not FAILED:
        flash(_("Your profile is saved."))
        for key in ("account_display_name", "account_email", "account_language"):
            st.session_state.pop(key, None)  # shown again as stored (trimmed, email in lower case)
    st.rerun()

# -- mail -----------------------------------------------------------------------------------------------
st.subheader(":material/mail: " + _("Mail"), anchor=False)
st.caption(_("Every notification is shown under Notifications (the bell in the sidebar). Choose which also come "
             "by mail: at once, gathered in one mail a day, or not at all. Every mail has a link to stop it."))
with session() as s:
    choices = my_account.mail_choices(session=s, actor=actor)
for choice in choices:
    st.session_state.setdefault(f"mail_{choice['kind']}", choice["delivery"])
mail_feedback = Feedback("account_mail", fields=tuple(f"mail_{c['kind']}" for c in choices))
mail_feedback.summary()
with st.form("mail_form", clear_on_submit=False):
    for choice in choices:
        on_off = tuple(choice["options"]) == ("off", "immediate")
        st.selectbox(locales.translate(choice["label"]), choice["options"], key=f"mail_{choice['kind']}",
                     format_func=(lambda d: _("On") if d == "immediate" else _("Off")) if on_off
                     else (lambda d: locales.translate(MAIL_DELIVERY_LABELS.get(d, d))))
        mail_feedback.field(f"mail_{choice['kind']}")
    save_mail = st.form_submit_button(_("Save mail choices"), type="primary", icon=":material/save:")
if save_mail:
    changed = mail_feedback.run(my_account.set_mail_choices, actor=actor,
                                choices={c["kind"]: st.session_state[f"mail_{c['kind']}"] for c in choices})
    if changed is not FAILED:
        flash(_("Your mail choices are saved.") if changed else _("Nothing changed in your mail choices."))
        for choice in choices:
            st.session_state.pop(f"mail_{choice['kind']}", None)  # shown again as stored
    st.rerun()

# -- password -------------------------------------------------------------------------------------------
st.subheader(":material/password: " + _("Password"), anchor=False)
if not me["has_password"]:
    st.info(_("Your account has no password yet: you sign in with single sign-on. You may set one to sign in "
              "with your username and password too."), icon=":material/info:")
if not settings.password_login:
    st.caption(_("Password sign-in is turned off on this server: a password is kept for when it is on again."))
password = Feedback("account_password", fields=("current", "new", "confirm"))
password.summary()
with st.form("password_form", clear_on_submit=False):
    if me["has_password"]:
        st.text_input(_("Current password"), key="account_current", type="password",
                      autocomplete="current-password")
    password.field("current")
    st.text_input(_("New password"), key="account_new", type="password", autocomplete="new-password",
                  help=_(passwords.RULE))
    password.field("new")
    st.text_input(_("Repeat the new password"), key="account_confirm", type="password",
                  autocomplete="new-password", help=_(passwords.RULE))
    password.field("confirm")
    change = st.form_submit_button(_("Change password") if me["has_password"] else _("Set password"),
                                   type="primary", icon=":material/key:")
if change:
    if password.run(my_account.change_password, actor=actor, current=st.session_state.get("account_current"),
                    new=st.session_state.get("account_new", ""), confirm=st.session_state.get("account_confirm", ""),
                    keep_token=token, settings=settings) is not FAILED:
        flash(_("Your password is changed. Every other session of your account was signed out; this browser "
                "stays signed in."), icon=":material/key:")
        for key in ("account_current", "account_new", "account_confirm"):
            st.session_state.pop(key, None)  # no password is kept in the session
    st.rerun()

# -- sessions -------------------------------------------------------------------------------------------
st.subheader(":material/devices: " + _("Sessions"), anchor=False)
others = me["other_sessions"]
if others:
    st.markdown(ngettext("You are also signed in on **{n} other browser or device** (another computer, phone or "
                         "browser).",
                         "You are also signed in on **{n} other browsers or devices** (another computer, phone or "
                         "browser).", others).format(n=locales.format_number(others)))
else:
    st.markdown(_("You are signed in on this browser only."))
sessions = Feedback("account_sessions")
sessions.summary()
if st.button(_("Sign out everywhere else"), icon=":material/logout:", disabled=not (others and token),
             help=_("Ends every other session of your account; this browser stays signed in.")):
    ended = sessions.run(my_account.end_other_sessions, actor=actor, keep_token=token, settings=settings)
    if ended is not FAILED:
        flash(ngettext("Signed out of {n} other session; this browser stays signed in.",
                       "Signed out of {n} other sessions; this browser stays signed in.", ended).format(
            n=locales.format_number(ended)), icon=":material/logout:")
    st.rerun()
