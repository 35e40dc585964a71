"""Review queue (Secretariat): Progress Reports submitted for review; publish one or several selected (after
a confirmation listing what will be published), return one with a comment, or open one in full."""

import streamlit as st

from services import progress_reports as pr
from ui import progress_readers as readers
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date, plural
from ui.progress_badges import status_badge
from ui.write import FAILED, Feedback

CONFIRMING = "queue_confirming"  # the ids of the reports waiting for the reviewer's confirmation
REFUSED = "queue_refused"  # id -> {code, year, message}: what the latest publication could not publish

actor = signed_in_actor()
st.title(":material/rate_review: Review queue")
st.caption("Progress Reports the focal points submitted, oldest first. Publish a report to make it the "
           "Resolution's status for the year, or return it with a comment saying what to change. Tick several "
           "to publish them together.")
show_flash()

queue = readers.review_queue(actor=actor)
refused = st.session_state.get(REFUSED, {})
if queue.empty:
    st.session_state.pop(CONFIRMING, None)
    for gone in refused.values():  # the rest were published, or someone else dealt with them
        st.error(f"Not published: {escape_md(gone['code'] or '')} ({gone['year']}): {escape_md(gone['message'])}",
                 icon=":material/sync_problem:")
    st.success("Nothing to review: every submitted Progress Report has been dealt with.",
               icon=":material/check_circle:")
    st.stop()

years = sorted(queue["year"].unique(), reverse=True)
left, right = st.columns([1, 3])
year = left.selectbox("Reporting year", ["All", *years], key="queue_year")
search = right.text_input("Find", key="queue_q", placeholder="Code, title or focal point")
rows = queue if year == "All" else queue[queue["year"] == year]
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


publishing = Feedback("queue_publish", not_done="Not published")  # the whole publication refused
returning = Feedback("queue_return", not_done="Not returned")  # the comment's message goes in the summary


@st.dialog("Publish Progress Reports", width="large", on_dismiss=forget_confirmation)
def confirm_publication(ids: list[int]) -> None:
    chosen = queue[queue["id"].isin(ids)]
    if chosen.empty:  # all dealt with by someone else since they were ticked
        st.info("These reports are no longer waiting for review.", icon=":material/info:")
        return
    st.markdown(f"Publish {plural(len(chosen), 'Progress Report')}? Each becomes the Resolution's status for "
                "its year, shown to everyone, and the Activity Reports it cites are locked.")
    for row in chosen.itertuples():
        correction = (f" · replaces revision {row.revision} ({escape_md(row.published_status or '')})"
                      if row.revision else "")
        st.markdown(f"- **{escape_md(row.code)}** · {row.year}: **{escape_md(row.status or '')}**  \n"
                    f"  {escape_md(row.title)}  \n"
                    f"  :gray[by {escape_md(row.author)} · {plural(int(row.sources), 'source')} to lock{correction}]")
    st.caption("A publication is not undone: a published report is changed only by a new version (a "
               "correction), and every published version stays on record.")
    yes, no = st.columns(2)
    if yes.button(f"Publish {plural(len(chosen), 'report')}", type="primary", icon=":material/publish:",
                  key="queue_confirm", width="stretch"):
        done = publishing.run_import(  # an engine-level write: each report in its own transaction
            pr.publish_many, actor=actor, reports=[(int(r.id), int(r.version)) for r in chosen.itertuples()])
        forget_confirmation()
        if done is not FAILED:
            st.session_state[REFUSED] = {f["id"]: f for f in done.failed}
            names = [f"{escape_md(p['code'])} ({p['year']})" for p in done.published]
            if len(names) == 1:
                only = chosen[chosen["id"] == done.published[0]["id"]].iloc[0]
                flash(f"Published {names[0]}: {escape_md(only['status'])}.")
            elif names:
                flash(f"Published {plural(len(names), 'report')}: {', '.join(names)}.")
            for p in done.published:
                st.session_state.pop(pick_key(p["id"]), None)
        st.rerun()
    if no.button("Cancel", key="queue_cancel", width="stretch"):
        forget_confirmation()
        st.rerun()


picked = [i for i in shown_ids if st.session_state.get(pick_key(i))]
bar = st.container(horizontal=True, vertical_alignment="center")
bar.caption(f"{plural(len(rows), 'report')} waiting" + ("" if len(rows) == len(queue) else f" (of {len(queue):,})"))
bar.checkbox("Select all shown", key="queue_all", on_change=pick_all)
bar.button(f"Publish selected ({len(picked)})", key="queue_publish_selected", icon=":material/publish:",
           disabled=not picked, on_click=ask, args=(picked,))

acted = st.session_state.get("queue_acted")  # the row of the latest Return
if acted not in set(rows["id"]):  # it has left the queue (someone else dealt with it) or the filter
    returning.summary()
publishing.summary()
for report_id, gone in refused.items():
    if report_id not in shown_ids:  # no row to show it under
        st.error(f"Not published: {escape_md(gone['code'] or '')} ({gone['year']}): {escape_md(gone['message'])}",
                 icon=":material/sync_problem:")

for row in rows.itertuples():
    with st.container(border=True):
        cols = st.columns([0.4, 3.2, 1.2, 1.9, 3.7], vertical_alignment="center")
        notice = st.container()  # refusals show here, under the row
        if row.id in refused:
            notice.error(f"Not published: {escape_md(refused[row.id]['message'])}", icon=":material/sync_problem:")
        if row.id == acted:
            returning.summary(notice)
        cols[0].checkbox("Select", key=pick_key(int(row.id)), label_visibility="collapsed")
        cols[1].markdown(f"**{escape_md(row.code)}** · {row.year}  \n{escape_md(row.title)}")
        with cols[2]:
            status_badge(row.status)
            if row.revision:
                st.caption(f"Correction of revision {row.revision} ({row.published_status})")
        cols[3].markdown(f"{escape_md(row.author)}  \n:gray[submitted {fmt_date(row.submitted_at)} · "
                         f"{plural(int(row.sources), 'source')}]")
        with cols[4]:
            actions = st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
            actions.page_link("pages/progress_report.py", label="Open", icon=":material/visibility:",
                              query_params={"code": row.code, "year": str(row.year)})
            actions.button("Publish", key=f"publish_{row.id}", type="primary", icon=":material/publish:",
                           on_click=ask, args=([int(row.id)],))
            with actions.popover("Return", icon=":material/undo:"):
                with st.form(f"return_{row.id}", border=False):
                    comment = st.text_area("Comment for the focal point", key=f"comment_{row.id}",
                                           max_chars=pr.LIMITS["comment"])
                    send = st.form_submit_button("Return with comment")
                if send:
                    st.session_state["queue_acted"] = row.id
                    st.session_state.pop(REFUSED, None)
                    if returning.run(pr.return_to_draft, actor=actor, report_id=int(row.id),
                                     version=int(row.version), comment=comment) is not FAILED:
                        flash(f"Returned {escape_md(row.code)} ({row.year}) to {escape_md(row.author)}.")
                    st.rerun()

if st.session_state.get(CONFIRMING):
    confirm_publication(st.session_state[CONFIRMING])
