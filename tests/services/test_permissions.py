"""The one permission table (services/permissions.py), checked where it matters: in services.

- The matrix: for every action of the table, one representative service call (a write where the action
  writes, the restricted reads where it reads), made as a user of each role, is refused (PermissionDenied)
  exactly when `can` says so. Every user is a member of the component and assigned to the Resolution the
  call is about, so the role alone decides. A new action must be given a call here, or be listed as a page
  that no service reads for (PAGES_ONLY), or this test fails.
- Restricted reads: Progress Reports in preparation, their history, coverage, the review queue, the
  assignment lists, the audit trail and the yearly analysis drafts.
- No raw role names outside the table (and the role vocabulary and account management).
"""

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from db import vocab
from db.models import AccessRequest, AuditEvent
from db.settings import Settings
from services import (
    access_requests,
    accounts,
    assignments,
    audit_trail,
    backup,
    components,
    coverage,
    mail,
    mail_preferences,
    my_account,
    notifications,
    paragraphs,
    register,
    register_file,
    reminder_rules,
    reminders,
    report_themes,
    yearly_analysis,
)
from services import activity_reports as ar
from services import progress_reports as pr
from services.errors import PermissionDenied
from services.permissions import DUTIES, RULES, Actor, can, duties, require
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = Settings(database_url="sqlite://", demo_mode=True, cookie_key="k" * 20,
                    public_url="https://tracker.example.org")
CONGRESS, OWN, OTHER = "WCC-2020", "WCC-2020-Res-001", "WCC-2020-Res-002"
WORDING = {"en": {"subject": "Due in {days} days", "body": "Dear {name}, {link}"}}
REGISTER_ROW = "code,kind,number,title,congress,themes,status,archived_on\n" \
               "WCC-2020-Res-050,Resolution,50,A Resolution of the test,WCC-2020,,active,\n"

# Actions that only open a page: what it shows is public to every signed-in user, or (My Resolutions) read
# by the user's own id, so no service has anything to refuse. The page matrix (tests/pages) covers them.
PAGES_ONLY = {"overview.view", "policy.view", "register.view", "guide.view", "my_resolutions.view"}


@pytest.fixture
def world(engine):
    """One user per role, each a member of the component 'Own' and focal point of Res-001; Res-002 has no
    focal point; 'Other' is a component nobody here belongs to. A submitted Activity Report on each
    Resolution, a Progress Report in review on Res-001, a pending access request."""
    with Session(engine, expire_on_commit=False) as s:
        own, other = f.component(s, "Own"), f.component(s, "Other")
        res1, res2 = f.resolution(s, 1), f.resolution(s, 2)
        users = {role: f.user(s, f"u_{role}", (role,), (own,)) for role in vocab.ROLES}
        for user in users.values():
            f.assign(s, res1, user)
        writer = users["focal_point"]
        on_own = f.activity_report(s, own, writer, (res1,))
        on_other = f.activity_report(s, own, writer, (res2,))
        review = f.progress_report(s, res1, writer, year=2025, state="in_review")
        request = AccessRequest(email="new@example.org", name="New Person", role="reporter", component_id=own.id)
        s.add(request)
        s.flush()
        actors = {role: f.actor(s, user) for role, user in users.items()}
        ids = {"own": own.id, "other": other.id, "res1": res1.id, "res2": res2.id, "on_own": on_own.id,
               "on_other": on_other.id, "review": review.id, "request": request.id}
        s.commit()
    return {"engine": engine, "actors": actors, **ids}


def _activity(component_id: int, resolution_id: int) -> ar.ActivityInput:
    return ar.ActivityInput(component_id=component_id, resolution_ids=[resolution_id], title="Workshop")


def _progress_draft(code: str):
    return lambda s, a, w: pr.save_draft(session=s, actor=a, code=code, year=pr.current_reporting_year(),
                                         data=pr.ProgressInput(status="Initiated"))


def _coverage(read):
    return lambda s, a, w: read(session=s, actor=a, year=2026, congress_code=CONGRESS)


# action -> the service calls that must be refused exactly when the table refuses the action
CALLS = {
    "account.edit": [lambda s, a, w: my_account.update_profile(session=s, actor=a, display_name="Renamed",
                                                               email=f"{a.username}@example.org", language="en")],
    "register.import": [lambda s, a, w: register_file.import_register(engine=w["engine"], actor=a,
                                                                      data=REGISTER_ROW.encode())],
    "register.edit": [lambda s, a, w: register.set_resolution_status(session=s, actor=a, code=OTHER, status="archived",
                                                                     archived_on=date(2025, 3, 1))],
    "register.export": [lambda s, a, w: register_file.export_register(session=s, actor=a)],
    "paragraphs.edit": [lambda s, a, w: paragraphs.add_paragraph(session=s, actor=a, code=OWN, number=f"9{a.id}",
                                                                 text="Requests the Director General to act."),
                        lambda s, a, w: paragraphs.import_paragraphs(engine=w["engine"], actor=a, data=(
                            "code,paragraph,addressee,text\nWCC-2020-Res-001,1,States,Calls on States.\n"
                        ).encode())],
    "users.manage": [lambda s, a, w: accounts.create_user(session=s, actor=a, username="newbie", display_name="Newbie",
                                                          email="newbie@example.org", roles=["reporter"],
                                                          components=[w["own"]], settings=SETTINGS)],
    "components.manage": [lambda s, a, w: components.create_component(session=s, actor=a, kind="Member",
                                                                      name="A new member")],
    "access.review": [lambda s, a, w: access_requests.decline(session=s, actor=a, request_id=w["request"],
                                                              note=None, settings=SETTINGS)],
    "mail.view": [lambda s, a, w: mail.outbox(session=s, actor=a)],
    "reminders.manage": [lambda s, a, w: reminder_rules.list_rules(session=s, actor=a),
                         lambda s, a, w: reminders.recent(session=s, actor=a),
                         lambda s, a, w: reminder_rules.preview_rule(session=s, actor=a, wording=WORDING),
                         lambda s, a, w: reminder_rules.save_rule(session=s, actor=a, days=-3, audience="focal_points",
                                                                  wording=WORDING)],
    "digest.weekly": [lambda s, a, w: mail_preferences.set_delivery(s, a, a.id, "weekly_digest", "immediate")],
    "notifications.view": [lambda s, a, w: notifications.recent(session=s, actor=a),
                           lambda s, a, w: notifications.mark_all_read(session=s, actor=a)],
    "backup.manage": [lambda s, a, w: backup.make_archive(engine=w["engine"], actor=a),
                      lambda s, a, w: backup.last_backup(session=s, actor=a)],
    "audit.view": [lambda s, a, w: audit_trail.search_events(session=s, actor=a)],
    "activity.write": [lambda s, a, w: ar.save_draft(session=s, actor=a, data=_activity(w["own"], w["res1"]))],
    "activity.all_components": [lambda s, a, w: ar.save_draft(session=s, actor=a, data=_activity(w["other"],
                                                                                                 w["res1"]))],
    "activity.return": [lambda s, a, w: ar.return_report(session=s, actor=a, report_id=w["on_own"], version=1,
                                                         comment="Add the dates, please.")],
    "activity.return_any": [lambda s, a, w: ar.return_report(session=s, actor=a, report_id=w["on_other"], version=1,
                                                             comment="Add the dates, please.")],
    "progress.write": [_progress_draft(OWN)],
    "progress.write_any": [_progress_draft(OTHER)],
    "progress.review": [lambda s, a, w: pr.publish(session=s, actor=a, report_id=w["review"], version=1),
                        lambda s, a, w: pr.review_queue(session=s, actor=a)],
    "assignments.manage": [lambda s, a, w: assignments.assign(session=s, actor=a, code=OTHER,
                                                              usernames=["u_focal_point"]),
                           lambda s, a, w: assignments.assignment_overview(session=s, actor=a, congress=CONGRESS),
                           lambda s, a, w: assignments.focal_point_candidates(session=s, actor=a),
                           lambda s, a, w: assignments.focal_points_of(session=s, actor=a, code=OWN),
                           lambda s, a, w: assignments.unassigned_counts(session=s, actor=a)],
    "calendar.manage": [lambda s, a, w: assignments.set_deadline(session=s, actor=a, year=2026,
                                                                 due_on=date(2026, 12, 15))],
    "coverage.view": [_coverage(coverage.resolution_coverage), _coverage(coverage.components_reporting),
                      _coverage(coverage.component_matrix), _coverage(coverage.archived_left_out),
                      lambda s, a, w: paragraphs.unaddressed(session=s, actor=a, congress=CONGRESS, year=2026)],
    "analysis.write": [lambda s, a, w: yearly_analysis.save_draft(session=s, actor=a, congress=CONGRESS, year=2024,
                                                                  narrative={}, version=None)],
    "analysis.read": [lambda s, a, w: yearly_analysis.read_analysis(session=s, actor=a, congress=CONGRESS,
                                                                    year=2024)],
    "themes.read": [lambda s, a, w: report_themes.read_groups(session=s, actor=a),
                    lambda s, a, w: report_themes.near_duplicates(session=s, actor=a)],
    "themes.curate": [lambda s, a, w: report_themes.rename(session=s, actor=a, name="Funding", group=(
        report_themes.GroupRef(scope="en", terms=(("funding", 0.5),))))],
}


def test_every_action_of_the_table_is_checked_by_a_service_or_only_opens_a_page():
    assert set(CALLS) | PAGES_ONLY == set(RULES)
    assert not set(CALLS) & PAGES_ONLY


@pytest.mark.parametrize("action", sorted(CALLS))
def test_a_service_refuses_exactly_the_roles_the_table_refuses(world, action):
    refused = set()
    for role, actor in world["actors"].items():
        for number, call in enumerate(CALLS[action]):
            with Session(world["engine"]) as s:  # never committed: each call starts from the same data
                try:
                    call(s, actor, world)
                except PermissionDenied:
                    refused.add(role)
                    continue
            assert can(actor, action), f"{role} was let through call {number} of {action}"
        if role in refused:
            assert not can(actor, action), f"{role} was refused {action}, which the table allows"
    assert refused == {r for r in vocab.ROLES if r not in RULES[action] and r != "admin"}


# -- the table itself --------------------------------------------------------------------------------------
def actor_with(*roles: str) -> Actor:
    return Actor(id=1, username="someone", display_name="Someone", roles=frozenset(roles))


def test_the_administrator_may_do_everything_and_nobody_signed_out_anything():
    assert all(can(actor_with("admin"), action) for action in RULES)
    assert not any(can(None, action) for action in RULES)
    assert not any(can(actor_with(), action) for action in RULES)
    with pytest.raises(PermissionDenied, match="an anonymous user may not coverage view"):
        require(None, "coverage.view")


def test_roles_add_up_and_an_unknown_action_is_a_bug():
    both = actor_with("reporter", "leadership")
    assert can(both, "activity.write") and can(both, "analysis.read") and not can(both, "coverage.view")
    with pytest.raises(KeyError):
        can(both, "coverage.edit")


def test_duties_are_what_the_cycle_expects_not_what_one_may_do():
    from analytics import cycle

    assert set(DUTIES) == set(cycle.DUTIES)
    assert duties(actor_with("reporter")) == {"report_activities"}
    assert duties(actor_with("focal_point")) == {"write_progress_reports"}
    assert duties(actor_with("admin")) == {"run_the_cycle", "read_the_analysis"}  # not everyone's duties
    assert duties(actor_with("leadership")) == {"read_the_analysis"}
    assert duties(None) == frozenset()


# -- restricted reads --------------------------------------------------------------------------------------
def test_a_progress_report_in_preparation_is_read_only_by_its_focal_points_and_the_secretariat(engine):
    """Decided for issue 10: a draft or in-review Progress Report (and its review comments and history) is
    work in progress, read by the focal points assigned to the Resolution, the Secretariat and the
    administrator; another focal point reads it once published, without the review comments."""
    with Session(engine, expire_on_commit=False) as s:
        res = f.resolution(s, 1)
        fay, ugo = f.user(s, "fay", ("focal_point",)), f.user(s, "ugo", ("focal_point",))
        sam, ada = f.user(s, "sam", ("secretariat",)), f.user(s, "ada", ("admin",))
        f.assign(s, res, fay)
        actors = {u.username: f.actor(s, u) for u in (fay, ugo, sam, ada)}
        s.commit()
    year = pr.current_reporting_year()
    data = pr.ProgressInput(status="Underway", summary="Reef work advanced.")
    with Session(engine, expire_on_commit=False) as s:
        report = pr.submit_for_review(session=s, actor=actors["fay"], code=res.code, year=year, data=data)
        s.commit()
    for state in ("in_review", "draft"):
        with Session(engine) as s:
            for who in ("fay", "sam", "ada"):
                view = pr.open_report(session=s, actor=actors[who], code=res.code, year=year)
                assert (view.state, view.data.summary, view.participant) == (state, "Reef work advanced.", True)
                assert not pr.history(session=s, actor=actors[who], report_id=report.id).empty
            with pytest.raises(PermissionDenied, match="in preparation"):
                pr.open_report(session=s, actor=actors["ugo"], code=res.code, year=year)
            with pytest.raises(PermissionDenied):
                pr.history(session=s, actor=actors["ugo"], report_id=report.id)
        if state == "in_review":  # returned with a comment: a draft again
            with Session(engine) as s:
                pr.return_to_draft(session=s, actor=actors["sam"], report_id=report.id, version=report.version,
                                   comment="Add the results.")
                s.commit()
    with Session(engine, expire_on_commit=False) as s:
        again = pr.submit_for_review(session=s, actor=actors["fay"], code=res.code, year=year, data=data,
                                     version=report.version + 1)
        s.commit()
    with Session(engine) as s:
        pr.publish(session=s, actor=actors["sam"], report_id=report.id, version=again.version)
        s.commit()
    with Session(engine) as s:
        seen = pr.open_report(session=s, actor=actors["ugo"], code=res.code, year=year)
        assert (seen.state, seen.data.summary, seen.may_write, seen.participant) == (
            "published", "Reef work advanced.", False, False)
        assert seen.comments == []  # the review exchange stays with those who took part
        assert [c["body"] for c in pr.open_report(session=s, actor=actors["fay"], code=res.code,
                                                    year=year).comments] == ["Add the results."]
        with pytest.raises(PermissionDenied):
            pr.history(session=s, actor=actors["ugo"], report_id=report.id)
        [published] = pr.published_reports(session=s, code=res.code)  # everyone's, on the Resolution page
        assert published["summary"] == "Reef work advanced."


def test_the_audit_trail_and_the_analysis_drafts_are_read_by_who_may(engine):
    with Session(engine, expire_on_commit=False) as s:
        users = {role: f.actor(s, f.user(s, f"u_{role}", (role,))) for role in vocab.ROLES}
        s.add(AuditEvent(at=datetime(2026, 1, 1, tzinfo=UTC), user_id=users["admin"].id, action="update",
                         entity="test", entity_id="1"))
        s.commit()
    with Session(engine) as s:
        yearly_analysis.save_draft(session=s, actor=users["secretariat"], congress=CONGRESS, year=2024,
                                   narrative={"key_messages": "Draft words."}, version=None)
        s.commit()
    with Session(engine) as s:
        for role, actor in users.items():
            if can(actor, "audit.view"):
                assert len(audit_trail.search_events(session=s, actor=actor)) == 2  # the test event, the draft
            else:
                with pytest.raises(PermissionDenied):
                    audit_trail.search_events(session=s, actor=actor)
            if not can(actor, "analysis.read"):
                continue
            view = yearly_analysis.read_analysis(session=s, actor=actor, congress=CONGRESS, year=2024)
            drafted = (view.draft or {}).get("key_messages")
            assert drafted == ("Draft words." if can(actor, "analysis.write") else None), role
            assert view.published is None, role  # a draft is not published text


# -- no raw role names outside the table ----------------------------------------------------------------
# Files that name roles as data: the table, account management (which assigns roles) and the command
# lines' own actors. The role vocabulary (db/vocab.py) and the demo data (db/demo.py) are below, in db/.
ROLE_DATA = {"services/permissions.py", "services/accounts.py", "services/access_requests.py",
             "services/admin.py", "services/register_cli.py"}


def role_decisions(source: str) -> list[str]:
    """Role names used to decide something: compared (`==`, `in`), gathered in a set, or asked of `.has()`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
        elif isinstance(node, ast.Set):
            operands = node.elts
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "has", "frozenset", "set"):
            operands = [*node.args, *(e for a in node.args if isinstance(a, (ast.Set, ast.Tuple, ast.List))
                                      for e in a.elts)]
        else:
            continue
        found += [o.value for o in operands if isinstance(o, ast.Constant) and o.value in vocab.ROLES]
    return found


def test_the_role_check_finder_finds_role_checks():
    assert role_decisions('if "focal_point" in actor.roles: pass') == ["focal_point"]
    assert role_decisions('ok = actor.has("secretariat")') == ["secretariat"]
    assert role_decisions('ok = roles & {"secretariat", "admin"}') == ["secretariat", "admin"]
    assert role_decisions('columns = {"focal_point": "Focal point"}; x = can(actor, "coverage.view")') == []


def test_no_code_outside_the_table_decides_by_role_name():
    checked, offenders = 0, []
    for package in ("pages", "ui", "services", "analytics"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in ROLE_DATA:
                continue
            checked += 1
            offenders += [f"{name}: {role!r}" for role in role_decisions(path.read_text())]
    assert checked > 60
    assert offenders == [], "ask services.permissions.can(actor, '<action>') instead"
