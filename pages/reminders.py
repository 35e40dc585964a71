"""Reminders (Secretariat, admin): the rules that remind focal points and components before and after each
reporting year's deadline, their wording per language with a preview, and the reminders sent with the
delivery status of each mail. The daily job (`python -m services.reminders run`) sends them."""

from datetime import date

import pandas as pd
import streamlit as st

import locales
from db import vocab
from db.reminder_defaults import default_wording
from locales import _, ngettext
from services import reminder_rules
from ui import reminder_readers as readers
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/notifications_active: " + _("Reminders"))
st.caption(_("Mails that chase the year's reports by themselves: before the deadline, on the day and after it. The "
             "deadlines are set on Focal points and deadlines. A daily job sends what is due; nobody gets a "
             "reminder twice, and whoever says there is nothing to report, or turns reminders off, gets none."))
AUDIENCE = {code: locales.translate(label) for code, label in vocab.REMINDER_AUDIENCE_LABELS.items()}
show_flash()

FIELDS = ("days", "audience", *(reminder_rules.field_name(lang, part) for lang in vocab.LANGUAGES
                                for part in reminder_rules.PARTS))
form = Feedback("reminder_rule", fields=FIELDS)
rules = readers.rules(actor=actor)
by_id = {r["id"]: r for r in rules}

rules_tab, sent_tab = st.tabs([":material/rule: " + _("Rules"), ":material/outgoing_mail: " + _("Sent reminders")])

with rules_tab:
    if rules:
        listed = pd.DataFrame([{
            "when": reminder_rules.describe_days(r["days"]), "audience": AUDIENCE[r["audience"]],
            "active": r["active"], "subject": r["wording"]["en"]["subject"],
            "languages": ", ".join(vocab.LANGUAGE_LABELS[lang] for lang in vocab.LANGUAGES if lang in r["wording"])}
            for r in rules])
        st.dataframe(listed, hide_index=True, width="stretch", column_config={
            "when": _("When"), "audience": st.column_config.TextColumn(_("Whom"), width="large"),
            "active": st.column_config.CheckboxColumn(_("On")), "subject": _("Subject (English)"),
            "languages": _("Written in")})
    else:
        st.info(_("No rule yet: nobody is reminded. Add one below."), icon=":material/info:")

    choice = st.selectbox(_("Rule to change"), [None, *by_id], key="rule_choice",
                          format_func=lambda i: _("A new rule") if i is None else
                          f"{reminder_rules.describe_days(by_id[i]['days'])} · {AUDIENCE[by_id[i]['audience']]}")
    rule = by_id.get(choice)
    prefix = f"rule_{choice or 'new'}_{rule['version'] if rule else 0}"
    start = rule or {"days": -14, "audience": "focal_points", "active": True,
                     "wording": default_wording("focal_points", -14)}

    form.summary()
    with st.form(f"{prefix}_form", clear_on_submit=False):
        left, right, on = st.columns([1, 3, 1], vertical_alignment="bottom")
        days = left.number_input(_("Days from the deadline"), min_value=-reminder_rules.MAX_DAYS,
                                 max_value=reminder_rules.MAX_DAYS, value=start["days"], step=1,
                                 key=f"{prefix}_days", help=_("Negative: before the deadline; 0: on the day; "
                                                              "positive: after it."))
        audience = right.selectbox(_("Whom"), vocab.REMINDER_AUDIENCES, key=f"{prefix}_audience",
                                   index=vocab.REMINDER_AUDIENCES.index(start["audience"]),
                                   format_func=AUDIENCE.get)
        active = on.checkbox(_("On"), value=start["active"], key=f"{prefix}_active")
        form.field("days", left)
        form.field("audience", right)
        st.caption(_("Placeholders: {names}. English is required; a language left empty is sent in English.").format(
            names=", ".join(f"`{{{p}}}`" for p in vocab.REMINDER_PLACEHOLDERS)))
        wording = {}
        for tab, lang in zip(st.tabs([vocab.LANGUAGE_LABELS[lang] for lang in vocab.LANGUAGES]), vocab.LANGUAGES):
            given = start["wording"].get(lang) or {}
            with tab:
                subject_name, body_name = (reminder_rules.field_name(lang, p) for p in reminder_rules.PARTS)
                subject = st.text_input(_("Subject"), value=given.get("subject", ""), key=f"{prefix}_{subject_name}",
                                        max_chars=reminder_rules.SUBJECT_MAX)
                form.field(subject_name)
                body = st.text_area(_("Body"), value=given.get("body", ""), key=f"{prefix}_{body_name}", height=260,
                                    max_chars=reminder_rules.BODY_MAX)
                form.field(body_name)
                wording[lang] = {"subject": subject, "body": body}
        language = st.radio(_("Preview in"), vocab.LANGUAGES, format_func=vocab.LANGUAGE_LABELS.get, horizontal=True,
                            key=f"{prefix}_preview_language")
        buttons = st.columns([1, 1, 4])
        previewing = buttons[0].form_submit_button(_("Preview"), icon=":material/visibility:")
        saving = buttons[1].form_submit_button(_("Save"), type="primary", icon=":material/save:")

    if previewing:
        shown = form.run(reminder_rules.preview_rule, actor=actor, wording=wording, language=language)
        if shown is not FAILED:
            st.session_state["rule_preview"] = shown
        st.rerun()
    if saving:
        saved = form.run(reminder_rules.save_rule, actor=actor, days=int(days), audience=audience, wording=wording,
                         active=active, rule_id=choice, version=rule["version"] if rule else None)
        if saved is not FAILED:
            st.session_state.pop("rule_preview", None)
            flash(_("Saved: {when}, {whom}.").format(when=reminder_rules.describe_days(saved["days"]).lower(),
                                                     whom=AUDIENCE[saved["audience"]].lower()))
        st.rerun()

    preview = st.session_state.get("rule_preview")
    if preview and form.outcome is None:
        with st.container(border=True):
            st.markdown(_("**Preview** with sample values"))
            # plain text: nothing in a template is taken as markup
            st.text(_("Subject: {subject}").format(subject=preview["subject"]))
            st.text(preview["body"])

with sent_tab:
    today = date.today()
    due = readers.due_today(actor=actor, today=today)
    if due.empty:
        st.caption(_("Today ({date}) no reminder is due.").format(date=fmt_date(today)))
    else:
        with st.expander(ngettext("Due today, {date}: {n} reminder the daily job will send",
                                  "Due today, {date}: {n} reminders the daily job will send", len(due)).format(
                             date=fmt_date(today), n=locales.format_number(len(due))),
                         icon=":material/schedule_send:"):
            st.dataframe(due, hide_index=True, width="stretch", key="due_today", column_config={
                "year": st.column_config.NumberColumn(_("Year"), format="%d"), "rule": _("Rule"), "recipient": _("To"),
                "email": _("Email"), "language": _("Language"), "resolutions": _("Resolutions")})
    sent = readers.recent(actor=actor)
    if sent.empty:
        st.info(_("No reminder sent yet."), icon=":material/inbox:")
    else:
        failing = int((sent["status"] == "failed, retrying").sum())
        if failing:
            st.warning(ngettext("{n} reminder could not be sent yet: the mail server refused or did not answer. Each "
                                "is tried again (after 1, 2, 4 … minutes, at most an hour apart); the last error is "
                                "shown.",
                                "{n} reminders could not be sent yet: the mail server refused or did not answer. Each "
                                "is tried again (after 1, 2, 4 … minutes, at most an hour apart); the last error is "
                                "shown.", failing).format(n=locales.format_number(failing)), icon=":material/warning:")
        st.caption(ngettext("The latest {n} reminder, newest first.", "The latest {n} reminders, newest first.",
                            len(sent)).format(n=locales.format_number(len(sent))))
        st.dataframe(sent, hide_index=True, width="stretch", key="sent_reminders", column_config={
            "sent_at": st.column_config.DatetimeColumn(_("Queued (UTC)"), format="D MMM YYYY, HH:mm"),
            "year": st.column_config.NumberColumn(_("Year"), format="%d"), "rule": _("Rule"), "recipient": _("To"),
            "email": _("Email"), "resolutions": _("Resolutions"), "subject": _("Subject"), "status": _("Delivery"),
            "attempts": st.column_config.NumberColumn(_("Attempts"), format="%d"),
            "last_error": st.column_config.TextColumn(_("Last error"), width="large")})
