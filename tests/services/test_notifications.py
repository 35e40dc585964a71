"""Notifications of events (issue 15 item 3), on both databases: each event tells exactly the right users,
in their language, with the right text and link; the mail follows each user's choice; marking read is one's
own business."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from db import vocab
from db.engine import transaction
from db.models import Notification, OutboxMail, ProgressReport, User
from db.settings import Settings
from services import activity_reports as ar
from services import mail_preferences, notifications
from services import notification_texts as texts
from services import progress_reports as pr
from services.errors import PermissionDenied
from tests import factories as f

CODE = "WCC-2020-Res-001"
URL = "https://tracker.example.org"
HOSTILE = "Add the <b>dates</b> & <script>alert(1)</script> please"


@pytest.fixture(autouse=True)
def configured(monkeypatch):
    monkeypatch.setenv("RT_PUBLIC_URL", URL)
    monkeypatch.setenv("RT_COOKIE_KEY", "k" * 32)


@pytest.fixture
def world(engine):
    """fay and ugo focal points of Res-001 (fay writes its report), sam and sue Secretariat, old a deactivated
    Secretariat user, rosa and remy reporters of Andes, lea leadership; two submitted Activity Reports on
    Res-001 by rosa and remy."""
    with Session(engine, expire_on_commit=False) as s:
        andes = f.component(s, "Andes Trust")
        res1 = f.resolution(s, 1)
        users = {name: f.user(s, name, roles, comps) for name, roles, comps in (
            ("fay", ("focal_point",), ()), ("ugo", ("focal_point",), ()), ("sam", ("secretariat",), ()),
            ("sue", ("secretariat",), ()), ("old", ("secretariat",), ()), ("rosa", ("reporter",), (andes,)),
            ("remy", ("reporter",), (andes,)), ("lea", ("leadership",), ()))}
        users["old"].active = False
        s.add(users["old"])
        f.assign(s, res1, users["fay"])
        f.assign(s, res1, users["ugo"])
        on = datetime(2026, 3, 1, 9, tzinfo=UTC)
        reports = {"rosa_ar": f.activity_report(s, andes, users["rosa"], (res1,), submitted_at=on,
                                                title="Reef <survey>"),
                   "remy_ar": f.activity_report(s, andes, users["remy"], (res1,), submitted_at=on,
                                                title="Policy brief")}
        actors = {name: f.actor(s, u) for name, u in users.items()}
        ids = {f"{name}_id": u.id for name, u in users.items()}
        s.commit()
    return {"engine": engine, **actors, **ids, **{k: r.id for k, r in reports.items()}}


def received(engine) -> dict[str, list[Notification]]:
    """Every notification by recipient username."""
    with Session(engine) as s:
        rows = s.exec(select(User.username, Notification).join(User, User.id == Notification.user_id)
                      .order_by(Notification.id)).all()
    out: dict[str, list[Notification]] = {}
    for name, row in rows:
        out.setdefault(name, []).append(row)
    return out


def outbox(engine) -> list[OutboxMail]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)))


def full(w) -> pr.ProgressInput:
    return pr.ProgressInput(status="Underway", summary="Reef work advanced.", source_ids=[w["rosa_ar"], w["remy_ar"]])


def submit(w, who="fay"):
    with transaction(w["engine"]) as s:
        return pr.submit_for_review(session=s, actor=w[who], code=CODE, year=2026, data=full(w))


def set_choice(w, who: str, kind: str, delivery: str) -> None:
    mail_preferences.set_delivery(w["engine"], w[who], w[f"{who}_id"], kind, delivery)


# -- who is told of what -----------------------------------------------------------------------------------
def test_a_returned_activity_report_tells_its_author_with_the_comment_and_a_mail(world):
    w = world
    with transaction(w["engine"]) as s:
        ar.return_report(session=s, actor=w["fay"], report_id=w["rosa_ar"], comment=HOSTILE, version=1)
    told = received(w["engine"])
    assert list(told) == ["rosa"]  # not the focal point who returned it, nobody else
    (note,) = told["rosa"]
    assert note.kind == "activity_returned" and note.read_at is None
    assert note.title == "Your Activity Report was returned: Reef <survey>"
    assert "Fay returned your Activity Report “Reef <survey>” with this comment:\n\n" + HOSTILE in note.body
    assert note.link == f"report_activity?id={w['rosa_ar']}"
    assert note.delivery == "immediate" and note.mailed_at is not None

    (sent,) = outbox(w["engine"])
    assert sent.to_address == "rosa@example.org" and sent.subject == note.title
    assert HOSTILE in sent.body and f"{URL}/report_activity?id={w['rosa_ar']}" in sent.body
    assert "?unsubscribe=" in sent.body and sent.unsubscribe_url.startswith(f"{URL}/?unsubscribe=")
    # the HTML part escapes every bit of user text
    assert "<script>" not in sent.html_body and "&lt;script&gt;alert(1)&lt;/script&gt;" in sent.html_body
    assert "Reef &lt;survey&gt;" in sent.html_body and "<b>dates</b>" not in sent.html_body
    assert f'href="{URL}/report_activity?id={w["rosa_ar"]}"' in sent.html_body


def test_entering_review_tells_every_active_secretariat_user_but_the_one_who_sent_it(world):
    w = world
    submit(w, who="sam")  # the Secretariat may write any report: sam is not told of his own act
    told = received(w["engine"])
    assert list(told) == ["sue"]  # old is deactivated; focal points, reporters and leadership are not told
    (note,) = told["sue"]
    assert note.kind == "progress_in_review"
    assert note.title == f"A Progress Report entered review: {CODE} (2026)"
    assert note.body == f"Sam sent the Progress Report on {CODE} for 2026 for review."
    assert note.link == f"progress_report?code={CODE}&year=2026"

    # saving a draft (after a return) tells nobody of a review
    with transaction(w["engine"]) as s:
        report = s.exec(select(ProgressReport)).one()
        pr.return_to_draft(session=s, actor=w["sue"], report_id=report.id, version=report.version, comment="More.")
    with transaction(w["engine"]) as s:
        report = s.exec(select(ProgressReport)).one()
        pr.save_draft(session=s, actor=w["fay"], code=CODE, year=2026, data=full(w), version=report.version)
    assert [n.kind for n in received(w["engine"])["sue"]] == ["progress_in_review"]


def test_a_returned_progress_report_tells_its_author_and_its_focal_points(world):
    w = world
    report = submit(w)
    with transaction(w["engine"]) as s:
        pr.return_to_draft(session=s, actor=w["sam"], report_id=report.id, version=report.version, comment=HOSTILE)
    told = {name: [n.kind for n in rows] for name, rows in received(w["engine"]).items()}
    assert told == {"sam": ["progress_in_review"], "sue": ["progress_in_review"],
                    "fay": ["progress_returned"], "ugo": ["progress_returned"]}
    fay = received(w["engine"])["fay"][0]
    assert fay.title == f"The Progress Report on {CODE} (2026) was returned"
    assert fay.body.startswith(f"Sam returned the Progress Report on {CODE} for 2026 to draft with this comment:\n\n"
                               + HOSTILE)
    assert fay.link == f"progress_report?code={CODE}&year=2026"
    mails = {m.to_address: m for m in outbox(w["engine"])}
    assert set(mails) == {"sam@example.org", "sue@example.org", "fay@example.org", "ugo@example.org"}
    assert f"{URL}/progress_report?code={CODE}&year=2026" in mails["ugo@example.org"].body


def test_publishing_tells_the_focal_points_and_once_each_author_cited(world):
    w = world
    report = submit(w)
    with transaction(w["engine"]) as s:
        pr.publish(session=s, actor=w["sam"], report_id=report.id, version=report.version)
    told = {name: [n.kind for n in rows] for name, rows in received(w["engine"]).items()}
    assert told == {"sam": ["progress_in_review"], "sue": ["progress_in_review"], "fay": ["progress_published"],
                    "ugo": ["progress_published"], "rosa": ["activity_cited"], "remy": ["activity_cited"]}
    rosa = received(w["engine"])["rosa"][0]
    assert rosa.title == f"Your Activity Report is cited in the Progress Report on {CODE}"
    assert rosa.body == (f"The Progress Report on {CODE} for 2026, now published, draws on your Activity Report "
                         "“Reef <survey>”.")
    assert rosa.link == f"resolution?code={CODE}"  # the published report is read on the Resolution's page
    assert received(w["engine"])["fay"][0].body.startswith(f"Sam published the Progress Report on {CODE} for 2026.")

    # a correction published again citing the same reports: the focal points are told, the authors not again
    with transaction(w["engine"]) as s:
        again = pr.start_correction(session=s, actor=w["fay"], report_id=report.id, version=report.version + 1)
    with transaction(w["engine"]) as s:
        again = pr.submit_for_review(session=s, actor=w["fay"], code=CODE, year=2026, data=full(w),
                                     version=again.version)
    with transaction(w["engine"]) as s:
        pr.publish(session=s, actor=w["sam"], report_id=report.id, version=again.version)
    told = {name: [n.kind for n in rows] for name, rows in received(w["engine"]).items()}
    assert told["rosa"] == ["activity_cited"] and told["remy"] == ["activity_cited"]
    assert told["fay"] == ["progress_published", "progress_published"]


def test_a_write_rolled_back_tells_nobody(world):
    w = world
    with pytest.raises(RuntimeError), transaction(w["engine"]) as s:
        ar.return_report(session=s, actor=w["fay"], report_id=w["rosa_ar"], comment="Dates?", version=1)
        raise RuntimeError("the database fell over before the commit")
    assert received(w["engine"]) == {} and outbox(w["engine"]) == []


# -- language and preferences ------------------------------------------------------------------------------
EXPECTED = {  # (title, start of body, hello, open) as a reader of each language gets them: the catalogues' words
    "en": ("Your Activity Report was returned: Reef <survey>",
           "Fay returned your Activity Report “Reef <survey>” with this comment:\n\nDates?\n\nCorrect it",
           "Hello Rosa,", "Open it: "),
    "fr": ("Votre rapport d’activité a été renvoyé : Reef <survey>",
           "Fay vous a renvoyé votre rapport d’activité « Reef <survey> » avec ce commentaire :\n\nDates?\n\n"
           "Corrigez-le", "Bonjour Rosa,", "Ouvrir : "),
    "es": ("Su informe de actividad fue devuelto: Reef <survey>",
           "Fay le devolvió su informe de actividad «Reef <survey>» con este comentario:\n\nDates?\n\nCorríjalo",
           "Hola, Rosa:", "Abrir: "),
}


@pytest.mark.parametrize("language", vocab.LANGUAGES)
def test_texts_are_in_the_recipients_language(world, language):
    """The reviewer works in English; the notification and its mail are in the recipient's language."""
    w = world
    with transaction(w["engine"]) as s:
        rosa = s.get(User, w["rosa_id"])
        rosa.language = language
        s.add(rosa)
    with transaction(w["engine"]) as s:
        ar.return_report(session=s, actor=w["fay"], report_id=w["rosa_ar"], comment="Dates?", version=1)
    (note,) = received(w["engine"])["rosa"]
    title, body_start, hello, open_it = EXPECTED[language]
    assert note.title == title
    assert note.body.startswith(body_start)
    (sent,) = outbox(w["engine"])
    assert sent.subject == title
    assert sent.body.startswith(hello)
    assert open_it + f"{URL}/report_activity?id={w['rosa_ar']}" in sent.body
    if language != "en":
        assert "Stop these mails" not in sent.body and "Correct it" not in sent.body  # no English left


def test_every_event_has_its_texts_in_every_language():
    assert set(texts.EVENTS) == set(vocab.NOTIFICATION_KINDS) <= set(vocab.MAIL_KINDS)
    for kind in vocab.NOTIFICATION_KINDS:
        titles = {texts.event(kind, lang, by="B", title="T", code="C", year=2026, comment="X")[0]
                  for lang in vocab.LANGUAGES}
        assert len(titles) == 3  # three different wordings, none missing a placeholder value
    assert texts.event("progress_published", "de", by="B", code="C", year=1) == \
        texts.event("progress_published", "en", by="B", code="C", year=1)  # unknown language: English


@pytest.mark.parametrize("delivery, mailed", [("off", False), ("immediate", True), ("digest", False)])
def test_the_mail_follows_the_recipients_choice_and_the_bell_always_shows(world, delivery, mailed):
    w = world
    set_choice(w, "rosa", "activity_returned", delivery)
    set_choice(w, "remy", "activity_returned", "off")  # another user's choice changes nothing for rosa
    with transaction(w["engine"]) as s:
        ar.return_report(session=s, actor=w["fay"], report_id=w["rosa_ar"], comment="Dates?", version=1)
    (note,) = received(w["engine"])["rosa"]
    assert note.delivery == delivery and (note.mailed_at is not None) == mailed
    assert [m.to_address for m in outbox(w["engine"])] == (["rosa@example.org"] if mailed else [])


def test_a_choice_for_one_kind_leaves_the_other_kinds_alone(world):
    w = world
    set_choice(w, "fay", "progress_returned", "off")
    report = submit(w, who="ugo")
    with transaction(w["engine"]) as s:
        pr.return_to_draft(session=s, actor=w["sam"], report_id=report.id, version=report.version, comment="More.")
    with transaction(w["engine"]) as s:
        report = pr.submit_for_review(session=s, actor=w["fay"], code=CODE, year=2026, data=full(w),
                                      version=report.version + 1)
    with transaction(w["engine"]) as s:
        pr.publish(session=s, actor=w["sam"], report_id=report.id, version=report.version)
    fay_mail = [m.subject for m in outbox(w["engine"]) if m.to_address == "fay@example.org"]
    assert fay_mail == [f"The Progress Report on {CODE} (2026) is published"]
    assert [n.kind for n in received(w["engine"])["fay"]] == ["progress_returned", "progress_published"]


# -- reading and marking read ------------------------------------------------------------------------------
def test_reading_and_marking_read_are_ones_own(world):
    w = world
    report = submit(w)  # sam and sue are told
    with transaction(w["engine"]) as s:
        pr.return_to_draft(session=s, actor=w["sue"], report_id=report.id, version=report.version, comment="More.")
    with Session(w["engine"]) as s:
        sam_items = notifications.recent(session=s, actor=w["sam"])
        sue_items = notifications.recent(session=s, actor=w["sue"])
        assert notifications.unread_count(session=s, actor=w["sam"]) == 1
        assert notifications.unread_count(session=s, actor=w["fay"]) == 1
        assert notifications.recent(session=s, actor=w["lea"]) == []
    assert [i["kind"] for i in sam_items] == ["progress_in_review"] and not sam_items[0]["read"]

    with pytest.raises(PermissionDenied), transaction(w["engine"]) as s:  # sue's notification is not sam's
        notifications.mark_read(session=s, actor=w["sam"], ids=[sam_items[0]["id"], sue_items[0]["id"]])
    with Session(w["engine"]) as s:
        assert notifications.unread_count(session=s, actor=w["sue"]) == 1
        assert notifications.unread_count(session=s, actor=w["sam"]) == 1  # refused as a whole

    with transaction(w["engine"]) as s:
        assert notifications.mark_read(session=s, actor=w["sam"], ids=[sam_items[0]["id"]]) == 1
    with transaction(w["engine"]) as s:
        assert notifications.mark_read(session=s, actor=w["sam"], ids=[sam_items[0]["id"]]) == 0  # already read
        assert notifications.mark_all_read(session=s, actor=w["fay"]) == 1
    with Session(w["engine"]) as s:
        assert notifications.recent(session=s, actor=w["sam"])[0]["read"] is True
        assert notifications.unread_count(session=s, actor=w["sam"]) == 0
        assert notifications.unread_count(session=s, actor=w["fay"]) == 0
        assert notifications.unread_count(session=s, actor=w["sue"]) == 1  # untouched by the others
        assert notifications.unread_count(session=s, actor=w["ugo"]) == 1


def test_the_list_is_newest_first_and_limited(world):
    w = world
    with transaction(w["engine"]) as s:
        for n in range(5):
            notifications.notify(s, user_id=w["lea_id"], kind="progress_published",
                                 values={"by": "B", "code": f"C{n}", "year": 2026}, link=f"x?n={n}")
    with Session(w["engine"]) as s:
        items = notifications.recent(session=s, actor=w["lea"], limit=3)
    assert [i["link"] for i in items] == ["x?n=4", "x?n=3", "x?n=2"]


def test_nobody_deactivated_is_told(world):
    w = world
    with transaction(w["engine"]) as s:
        assert notifications.notify(s, user_id=w["old_id"], kind="progress_in_review",
                                    values={"by": "B", "code": "C", "year": 2026}, link="x") is None
    assert received(w["engine"]) == {} and outbox(w["engine"]) == []


def test_links_are_built_from_the_public_address():
    link = notifications.link_to("progress_report", code="WCC-2020-Res-001", year=2026)
    assert link == "progress_report?code=WCC-2020-Res-001&year=2026"
    settings = Settings(database_url="", demo_mode=True, cookie_key="k" * 20, public_url="https://rt.example.org/")
    assert notifications.absolute(settings, link) == f"https://rt.example.org/{link}"
    assert notifications.link_to("resolution", code="a&b c") == "resolution?code=a%26b+c"
