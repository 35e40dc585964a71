"""Reminders (Secretariat, admin): the rules that remind focal points and components before and after each
reporting year's deadline, their wording per language with a preview, and the reminders sent with the
delivery status of each mail. The daily job (`python -m services.reminders run`) sends them."""

from datetime import date

import pandas as pd
import streamlit as st

from db import vocab
from db.reminder_defaults import default_wording
from services import reminder_rules
from ui import reminder_readers as readers
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import fmt_date, plural
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/notifications_active: Reminders")
st.caption("Mails that chase the year's reports by themselves: before the deadline, on the day and after it. The "
           "deadlines are set on Focal points and deadlines. A daily job sends what is due; nobody gets a "
           "reminder twice, and whoever says there is nothing to report, or turns reminders off, gets none.")
show_flash()

FIELDS = ("days", "audience", *(reminder_rules.field_name(lang, part) for lang in vocab.LANGUAGES
                                for part in reminder_rules.PARTS))
form = Feedback("reminder_rule", fields=FIELDS)
rules = readers.rules(actor=actor)
by_id = {r["id"]: r for r in rules}

rules_tab, sent_tab = st.tabs([":material/rule: Rules", ":material/outgoing_mail: Sent reminders"])

with rules_tab:
    if rules:
        listed = pd.DataFrame([{
            "when": reminder_rules.describe_days(r["days"]), "audience": vocab.REMINDER_AUDIENCE_LABELS[r["audience"]],
            "active": r["active"], "subject": r["wording"]["en"]["subject"],
            "languages": ", ".join(vocab.LANGUAGE_LABELS[lang] for lang in vocab.LANGUAGES if lang in r["wording"])}
            for r in rules])
        st.dataframe(listed, hide_index=True, width="stretch", column_config={
            "when": "When", "audience": st.column_config.TextColumn("Whom", width="large"),
            "active": st.column_config.CheckboxColumn("On"), "subject": "Subject (English)",
            "languages": "Written in"})
    else:
        st.info("No rule yet: nobody is reminded. Add one below.", icon=":material/info:")

    choice = st.selectbox("Rule to change", [None, *by_id], key="rule_choice",
                          format_func=lambda i: "A new rule" if i is None else
                          f"{reminder_rules.describe_days(by_id[i]['days'])} · "
                          f"{vocab.REMINDER_AUDIENCE_LABELS[by_id[i]['audience']]}")
    rule = by_id.get(choice)
    prefix = f"rule_{choice or 'new'}_{rule['version'] if rule else 0}"
    start = rule or {"days": -14, "audience": "focal_points", "active": True,
                     "wording": default_wording("focal_points", -14)}

    form.summary()
    with st.form(f"{prefix}_form", clear_on_submit=False):
        left, right, on = st.columns([1, 3, 1], vertical_alignment="bottom")
        days = left.number_input("Days from the deadline", min_value=-reminder_rules.MAX_DAYS,
                                 max_value=reminder_rules.MAX_DAYS, value=start["days"], step=1,
                                 key=f"{prefix}_days", help="Negative: before the deadline; 0: on the day; "
                                                            "positive: after it.")
        audience = right.selectbox("Whom", vocab.REMINDER_AUDIENCES, key=f"{prefix}_audience",
                                   index=vocab.REMINDER_AUDIENCES.index(start["audience"]),
                                   format_func=vocab.REMINDER_AUDIENCE_LABELS.get)
        active = on.checkbox("On", value=start["active"], key=f"{prefix}_active")
        form.field("days", left)
        form.field("audience", right)
        st.caption("Placeholders: " + ", ".join(f"`{{{p}}}`" for p in vocab.REMINDER_PLACEHOLDERS)
                   + ". English is required; a language left empty is sent in English.")
        wording = {}
        for tab, lang in zip(st.tabs([vocab.LANGUAGE_LABELS[lang] for lang in vocab.LANGUAGES]), vocab.LANGUAGES):
            given = start["wording"].get(lang) or {}
            with tab:
                subject_name, body_name = (reminder_rules.field_name(lang, p) for p in reminder_rules.PARTS)
                subject = st.text_input("Subject", value=given.get("subject", ""), key=f"{prefix}_{subject_name}",
                                        max_chars=reminder_rules.SUBJECT_MAX)
                form.field(subject_name)
                body = st.text_area("Body", value=given.get("body", ""), key=f"{prefix}_{body_name}", height=260,
                                    max_chars=reminder_rules.BODY_MAX)
                form.field(body_name)
                wording[lang] = {"subject": subject, "body": body}
        language = st.radio("Preview in", vocab.LANGUAGES, format_func=vocab.LANGUAGE_LABELS.get, horizontal=True,
                            key=f"{prefix}_preview_language")
        buttons = st.columns([1, 1, 4])
        previewing = buttons[0].form_submit_button("Preview", icon=":material/visibility:")
        saving = buttons[1].form_submit_button("Save", type="primary", icon=":material/save:")

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
            flash(f"Saved: {reminder_rules.describe_days(saved['days']).lower()}, "
                  f"{vocab.REMINDER_AUDIENCE_LABELS[saved['audience']].lower()}.")
        st.rerun()

    preview = st.session_state.get("rule_preview")
    if preview and form.outcome is None:
        with st.container(border=True):
            st.markdown("**Preview** with sample values")
            st.text(f"Subject: {preview['subject']}")  # plain text: nothing in a template is taken as markup
            st.text(preview["body"])

with sent_tab:
    today = date.today()
    due = readers.due_today(actor=actor, today=today)
    if due.empty:
        st.caption(f"Today ({fmt_date(today)}) no reminder is due.")
    else:
        with st.expander(f"Due today, {fmt_date(today)}: {plural(len(due), 'reminder')} the daily job will send",
                         icon=":material/schedule_send:"):
            st.dataframe(due, hide_index=True, width="stretch", key="due_today", column_config={
                "year": st.column_config.NumberColumn("Year", format="%d"), "rule": "Rule", "recipient": "To",
                "email": "Email", "language": "Language", "resolutions": "Resolutions"})
    sent = readers.recent(actor=actor)
    if sent.empty:
        st.info("No reminder sent yet.", icon=":material/inbox:")
    else:
        failing = int((sent["status"] == "failed, retrying").sum())
        if failing:
            st.warning(f"{plural(failing, 'reminder')} could not be sent yet: the mail server refused or did not "
                       "answer. Each is tried again (after 1, 2, 4 … minutes, at most an hour apart); the last error "
                       "is shown.", icon=":material/warning:")
        st.caption(f"The latest {plural(len(sent), 'reminder')}, newest first.")
        st.dataframe(sent, hide_index=True, width="stretch", key="sent_reminders", column_config={
            "sent_at": st.column_config.DatetimeColumn("Queued (UTC)", format="D MMM YYYY, HH:mm"),
            "year": st.column_config.NumberColumn("Year", format="%d"), "rule": "Rule", "recipient": "To",
            "email": "Email", "resolutions": "Resolutions", "subject": "Subject", "status": "Delivery",
            "attempts": st.column_config.NumberColumn("Attempts", format="%d"),
            "last_error": st.column_config.TextColumn("Last error", width="large")})
