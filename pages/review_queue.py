"""Review queue (Secretariat): Progress Reports submitted for review; publish one or several selected (after
a confirmation listing what will be published), return one with a comment, or open one in full."""

import streamlit as st

import locales
from locales import N_, _, ngettext
from services import progress_reports as pr
from ui import progress_readers as readers
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.progress_badges import status_badge
from ui.write import FAILED, Feedback

CONFIRMING = "queue_confirming"  # the ids of the reports waiting for the reviewer's confirmation
REFUSED = "queue_refused"  # id -> {code, year, message}: what the latest publication could not publish
ALL = N_("All")  # the year filter's first choice, shown translated
T = locales.translate


def n(count: int) -> str:
    return locales.format_number(count)

actor = signed_in_actor()
st.title(":material/rate_review: " + _("Review queue"))
st.caption(_("Progress Reports the focal points submitted, oldest first. Publish a report to make it the "
             "Resolution's status for the year, or return it with a comment saying what to change. Tick several "
             "to publish them together."))
show_flash()

queue = readers.review_queue(actor=actor)
refused = st.session_state.get(REFUSED, {})
if queue.empty:
    st.session_state.pop(CONFIRMING, None)
    for gone in refused.values():  # the rest were published, or someone else dealt with them
        st.error(_("Not published: {code} ({year}): {message}").format(
            code=escape_md(gone["code"] or ""), year=gone["year"], message=escape_md(gone["message"])),
            icon=":material/sync_problem:")
    st.success(_("Nothing to review: every submitted Progress Report has been dealt with."),
               icon=":material/check_circle:")
    st.stop()

years = sorted(queue["year"].unique(), reverse=True)
left, right = st.columns([1, 3])
year = left.selectbox(_("Reporting year"), [ALL, *years], key="queue_year",
                      format_func=lambda y: _(y) if y == ALL else str(y))
search = right.text_input(_("Find"), key="queue_q", placeholder=_("Code, title or focal point"))
rows = queue if year == ALL else queue[queue["year"] == year]
if search:
    text = rows["code"] + " " + rows["title"] + " " + rows["author"]
    rows = rows[text.str.contains(search, case=False, regex=False)]
shown_ids = [int(i) for i in rows["id"]]


def pick_key(report_id: int) -> str:
    return f"pick_{report_id}"


def pick_all() -> None:
    for report_id in shown_ids:
        st.session_state[pick_key(report_id)] = st.session_state["queue_all"]


def ask(ids: list[int]) -> None:
    st.session_state[CONFIRMING] = ids
    st.session_state.pop(REFUSED, None)  # a new publication: the previous refusals are old news


def forget_confirmation() -> None:
    st.session_state.pop(CONFIRMING, None)


publishing = Feedback("queue_publish", not_done=_("Not published"))  # the whole publication refused
returning = Feedback("queue_return", not_done=_("Not returned"))  # the comment's message goes in the summary


@st.dialog(_("Publish Progress Reports"), width="large", on_dismiss=forget_confirmation)  # each run: translated
def confirm_publication(ids: list[int]) -> None:
    chosen = queue[queue["id"].isin(ids)]
    if chosen.empty:  # all dealt with by someone else since they were ticked
        st.info(_("These reports are no longer waiting for review."), icon=":material/info:")
        return
    st.markdown(ngettext("Publish {n} Progress Report? Each becomes the Resolution's status for its year, shown to "
                         "everyone, and the Activity Reports it cites are locked.",
                         "Publish {n} Progress Reports? Each becomes the Resolution's status for its year, shown to "
                         "everyone, and the Activity Reports it cites are locked.",
                         len(chosen)).format(n=n(len(chosen))))
    for row in chosen.itertuples():
        correction = (" · " + _("replaces revision {n} ({status})").format(
            n=row.revision, status=escape_md(T(row.published_status))) if row.revision else "")
        sources = int(row.sources)
        by = ngettext("by {author} · {n} source to lock", "by {author} · {n} sources to lock", sources).format(
            author=escape_md(row.author), n=n(sources))
        st.markdown(f"- **{escape_md(row.code)}** · {row.year}: **{escape_md(T(row.status))}**  \n"
                    f"  {escape_md(row.title)}  \n"
                    f"  :gray[{by}{correction}]")
    st.caption(_("A publication is not undone: a published report is changed only by a new version (a "
                 "correction), and every published version stays on record."))
    yes, no = st.columns(2)
    if yes.button(ngettext("Publish {n} report", "Publish {n} reports", len(chosen)).format(n=n(len(chosen))),
                  type="primary", icon=":material/publish:",
                  key="queue_confirm", width="stretch"):
        done = publishing.run_import(  # an engine-level write: each report in its own transaction
            pr.publish_many, actor=actor, reports=[(int(r.id), int(r.version)) for r in chosen.itertuples()])
        forget_confirmation()
        if done is not FAILED:
            st.session_state[REFUSED] = {f["id"]: f for f in done.failed}
            names = [f"{escape_md(p['code'])} ({p['year']})" for p in done.published]
            if len(names) == 1:
                only = chosen[chosen["id"] == done.published[0]["id"]].iloc[0]
                flash(_("Published {report}: {status}.").format(report=names[0], status=escape_md(T(only["status"]))))
            elif names:
                flash(ngettext("Published {n} report: {reports}.", "Published {n} reports: {reports}.",
                               len(names)).format(n=n(len(names)), reports=", ".join(names)))
            for p in done.published:
                st.session_state.pop(pick_key(p["id"]), None)
        st.rerun()
    if no.button(_("Cancel"), key="queue_cancel", width="stretch"):
        forget_confirmation()
        st.rerun()


picked = [i for i in shown_ids if st.session_state.get(pick_key(i))]
bar = st.container(horizontal=True, vertical_alignment="center")
bar.caption(ngettext("{n} report waiting", "{n} reports waiting", len(rows)).format(n=n(len(rows)))
            + ("" if len(rows) == len(queue) else " " + _("(of {n})").format(n=n(len(queue)))))
bar.checkbox(_("Select all shown"), key="queue_all", on_change=pick_all)
bar.button(_("Publish selected ({n})").format(n=len(picked)), key="queue_publish_selected", icon=":material/publish:",
           disabled=not picked, on_click=ask, args=(picked,))

acted = st.session_state.get("queue_acted")  # the row of the latest Return
if acted not in set(rows["id"]):  # it has left the queue (someone else dealt with it) or the filter
    returning.summary()
publishing.summary()
for report_id, gone in refused.items():
    if report_id not in shown_ids:  # no row to show it under
        st.error(_("Not published: {code} ({year}): {message}").format(
            code=escape_md(gone["code"] or ""), year=gone["year"], message=escape_md(gone["message"])),
            icon=":material/sync_problem:")

for row in rows.itertuples():
    with st.container(border=True):
        cols = st.columns([0.4, 3.2, 1.2, 1.9, 3.7], vertical_alignment="center")
        notice = st.container()  # refusals show here, under the row
        if row.id in refused:
            notice.error(_("Not published: {message}").format(message=escape_md(refused[row.id]["message"])),
                         icon=":material/sync_problem:")
        if row.id == acted:
            returning.summary(notice)
        cols[0].checkbox(_("Select"), key=pick_key(int(row.id)), label_visibility="collapsed")
        cols[1].markdown(f"**{escape_md(row.code)}** · {row.year}  \n{escape_md(row.title)}")
        with cols[2]:
            status_badge(row.status)
            if row.revision:
                st.caption(_("Correction of revision {n} ({status})").format(n=row.revision,
                                                                             status=T(row.published_status)))
        sources = int(row.sources)
        cols[3].markdown(f"{escape_md(row.author)}  \n:gray["
                         + ngettext("submitted {date} · {n} source", "submitted {date} · {n} sources", sources).format(
                             date=fmt_date(row.submitted_at), n=n(sources)) + "]")
        with cols[4]:
            actions = st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
            actions.page_link("pages/progress_report.py", label=_("Open"), icon=":material/visibility:",
                              query_params={"code": row.code, "year": str(row.year)})
            actions.button(_("Publish"), key=f"publish_{row.id}", type="primary", icon=":material/publish:",
                           on_click=ask, args=([int(row.id)],))
            with actions.popover(_("Return"), icon=":material/undo:"):
                with st.form(f"return_{row.id}", border=False):
                    comment = st.text_area(_("Comment for the focal point"), key=f"comment_{row.id}",
                                           max_chars=pr.LIMITS["comment"])
                    send = st.form_submit_button(_("Return with comment"))
                if send:
                    st.session_state["queue_acted"] = row.id
                    st.session_state.pop(REFUSED, None)
                    if returning.run(pr.return_to_draft, actor=actor, report_id=int(row.id),
                                     version=int(row.version), comment=comment) is not FAILED:
                        flash(_("Returned {code} ({year}) to {author}.").format(
                            code=escape_md(row.code), year=row.year, author=escape_md(row.author)))
                    st.rerun()

if st.session_state.get(CONFIRMING):
    confirm_publication(st.session_state[CONFIRMING])
