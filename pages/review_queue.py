"""Review queue (Secretariat): Progress Reports submitted for review; publish, return with a comment, or
open one in full."""

import streamlit as st

from services import progress_reports as pr
from ui import progress_readers as readers
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date, plural
from ui.progress_badges import status_badge
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/rate_review: Review queue")
st.caption("Progress Reports the focal points submitted, oldest first. Publish a report to make it the "
           "Resolution's status for the year, or return it with a comment saying what to change.")
show_flash()

queue = readers.review_queue(actor=actor)
if queue.empty:
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
st.caption(f"{plural(len(rows), 'report')} waiting" + ("" if len(rows) == len(queue) else f" (of {len(queue):,})"))

publishing = Feedback("queue_publish")
returning = Feedback("queue_return", not_done="Not returned")  # the comment's message goes in the summary
acted = st.session_state.get("queue_acted")  # the row of the latest Publish or Return
if acted not in set(rows["id"]):  # it has left the queue (someone else dealt with it) or the filter
    publishing.summary()
    returning.summary()

for row in rows.itertuples():
    with st.container(border=True):
        cols = st.columns([3.2, 1.2, 1.9, 3.7], vertical_alignment="center")
        notice = st.container()  # refusals show here, under the row
        if row.id == acted:
            publishing.summary(notice)
            returning.summary(notice)
        cols[0].markdown(f"**{escape_md(row.code)}** · {row.year}  \n{escape_md(row.title)}")
        with cols[1]:
            status_badge(row.status)
            if row.revision:
                st.caption(f"Correction of revision {row.revision} ({row.published_status})")
        cols[2].markdown(f"{escape_md(row.author)}  \n:gray[submitted {fmt_date(row.submitted_at)} · "
                         f"{plural(int(row.sources), 'source')}]")
        with cols[3]:
            actions = st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
            actions.page_link("pages/progress_report.py", label="Open", icon=":material/visibility:",
                                 query_params={"code": row.code, "year": str(row.year)})
            if actions.button("Publish", key=f"publish_{row.id}", type="primary", icon=":material/publish:"):
                st.session_state["queue_acted"] = row.id
                if publishing.run(pr.publish, actor=actor, report_id=int(row.id),
                                  version=int(row.version)) is not FAILED:
                    flash(f"Published {escape_md(row.code)} ({row.year}): {row.status}.")
                st.rerun()
            with actions.popover("Return", icon=":material/undo:"):
                with st.form(f"return_{row.id}", border=False):
                    comment = st.text_area("Comment for the focal point", key=f"comment_{row.id}",
                                           max_chars=pr.LIMITS["comment"])
                    send = st.form_submit_button("Return with comment")
                if send:
                    st.session_state["queue_acted"] = row.id
                    if returning.run(pr.return_to_draft, actor=actor, report_id=int(row.id),
                                     version=int(row.version), comment=comment) is not FAILED:
                        flash(f"Returned {escape_md(row.code)} ({row.year}) to {escape_md(row.author)}.")
                    st.rerun()
