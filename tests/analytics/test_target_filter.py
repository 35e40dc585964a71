"""The global-goals filter and the "Resolutions by target" figure (issue 18) on a hand-built data set.

WCC-2020, reporting year 2023:
  Res-001 tagged KMGBF-T3, SDG-15.1     2023 Underway (published)
  Res-002 tagged KMGBF-T3, KMGBF-T4     2023 Completed (published)
  Res-003 tagged SDG-14.5               2023 draft only (In preparation)
  Res-004 tagged SDG-14 (the goal)      no Progress Report
  Res-005 untagged                      2023 Not started (published)
WCC-2016: Res-001 tagged KMGBF-T3, 2023 Initiated (published): another Congress, never counted here.
"""

import pytest
from sqlmodel import Session

from analytics import progress
from analytics.filters import ProgressFilter
from db import vocab
from db.models import ResolutionTarget
from db.vocab import IN_PREPARATION, NO_PROGRESS_REPORT
from services.register import RegisterFilter, search_resolutions
from tests import factories as f

SCALE = list(vocab.STATUS_SCALE)
TAGS = {1: ("KMGBF-T3", "SDG-15.1"), 2: ("KMGBF-T3", "KMGBF-T4"), 3: ("SDG-14.5",), 4: ("SDG-14",), 5: ()}


@pytest.fixture
def data(engine):
    with Session(engine) as s:
        focal = f.user(s, "foc", ("focal_point",))
        res = {n: f.resolution(s, n) for n in TAGS}
        old = f.resolution(s, 1, "WCC-2016")
        for n, codes in TAGS.items():
            s.add_all(ResolutionTarget(resolution_id=res[n].id, target_code=c) for c in codes)
        s.add(ResolutionTarget(resolution_id=old.id, target_code="KMGBF-T3"))
        f.progress_report(s, res[1], focal, year=2023, state="published", status="Underway")
        f.progress_report(s, res[2], focal, year=2023, state="published", status="Completed")
        f.progress_report(s, res[3], focal, year=2023, state="draft", status="Initiated")
        f.progress_report(s, res[5], focal, year=2023, state="published", status="Not started")
        f.progress_report(s, old, focal, year=2023, state="published", status="Initiated")
        s.commit()
        yield s


def _statuses(frame, **where) -> dict:
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert list(frame["status"]) == SCALE
    return {st: n for st, n in zip(frame["status"], frame["count"]) if n}


def _counts(session, **choices) -> dict:
    frame = progress.status_counts(session=session, flt=ProgressFilter(congress="WCC-2020", year=2023, **choices))
    return {st: int(n) for st, n in zip(frame["status"], frame["count"]) if n}


def test_the_target_filter_keeps_the_resolutions_tagged_with_any_chosen_target(data):
    assert _counts(data) == {"Underway": 1, "Completed": 1, IN_PREPARATION: 1, NO_PROGRESS_REPORT: 1,
                             "Not started": 1}
    assert _counts(data, targets=("KMGBF-T3",)) == {"Underway": 1, "Completed": 1}
    assert _counts(data, targets=("KMGBF-T4", "SDG-14.5")) == {"Completed": 1, IN_PREPARATION: 1}
    assert _counts(data, targets=("KMGBF-T23",)) == {}
    head = progress.headline(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023,
                                                              targets=("KMGBF-T3",)))
    assert head["resolutions_in_force"] == 2 and head["published"] == 2


def test_an_sdg_goal_takes_its_targets_and_a_target_does_not_take_its_goal(data):
    # SDG-14 matches Res-004 (tagged with the goal) and Res-003 (tagged with its target 14.5)
    assert _counts(data, targets=("SDG-14",)) == {IN_PREPARATION: 1, NO_PROGRESS_REPORT: 1}
    assert _counts(data, targets=("SDG-14.5",)) == {IN_PREPARATION: 1}
    assert _counts(data, targets=("SDG-15",)) == {"Underway": 1}
    # with the theme-like AND across fields: a target and a kind
    assert _counts(data, targets=("SDG-14",), kinds=("Recommendation",)) == {}


def test_status_by_kmgbf_target_counts_a_resolution_under_each_of_its_targets(data):
    frame = progress.status_by_target(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023))
    assert list(dict.fromkeys(frame["target"])) == ["KMGBF-T3", "KMGBF-T4"]
    assert _statuses(frame, target="KMGBF-T3") == {"Underway": 1, "Completed": 1}
    assert _statuses(frame, target="KMGBF-T4") == {"Completed": 1}
    assert frame[frame["target"] == "KMGBF-T3"]["share"].sum() == pytest.approx(1.0)
    only_t4 = progress.status_by_target(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023,
                                                                         targets=("KMGBF-T4",)))
    assert list(dict.fromkeys(only_t4["target"])) == ["KMGBF-T4"]
    # an SDG filter narrows the Resolutions, the bars stay the KMGBF's
    by_sdg = progress.status_by_target(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023,
                                                                        targets=("SDG-15",)))
    assert list(dict.fromkeys(by_sdg["target"])) == ["KMGBF-T3"]
    assert _statuses(by_sdg, target="KMGBF-T3") == {"Underway": 1}
    sdg = progress.status_by_target(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023),
                                    framework="SDG")
    assert list(dict.fromkeys(sdg["target"])) == ["SDG-14.5", "SDG-15.1"]  # targets only, not the goal SDG-14


def test_the_resolutions_behind_a_target_segment(data):
    flt = ProgressFilter(congress="WCC-2020", year=2023)
    behind = progress.resolutions_behind(session=data, flt=flt, target="KMGBF-T3", status="Completed")
    assert list(behind["code"]) == ["WCC-2020-Res-002"]
    behind = progress.resolutions_behind(session=data, flt=flt, target="SDG-14")
    assert sorted(behind["code"]) == ["WCC-2020-Res-003", "WCC-2020-Res-004"]


def test_the_public_figures_take_the_same_filter(data):
    public = progress.status_counts(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023, public=True,
                                                                     targets=("SDG-14",)))
    assert {st: int(n) for st, n in zip(public["status"], public["count"]) if n} == {NO_PROGRESS_REPORT: 2}


def test_the_register_search_takes_the_target_filter(data):
    def codes(**choices):
        return list(search_resolutions(session=data, flt=RegisterFilter(**choices))["code"])

    assert codes(targets=["KMGBF-T3"]) == ["WCC-2020-Res-001", "WCC-2020-Res-002", "WCC-2016-Res-001"]
    assert codes(targets=["SDG-14"]) == ["WCC-2020-Res-003", "WCC-2020-Res-004"]
    assert codes(targets=["SDG-14.5", "KMGBF-T4"], congresses=["WCC-2020"]) == ["WCC-2020-Res-002",
                                                                                "WCC-2020-Res-003"]


def test_the_chart_has_a_bar_per_target_labelled_short_and_a_click_carries_the_code(data):
    from analytics import charts
    from services import goal_tags

    frame = progress.status_by_target(session=data, flt=ProgressFilter(congress="WCC-2020", year=2023))
    labels = goal_tags.target_labels(session=data)
    fig = charts.status_by_target_chart(frame, labels)
    assert [trace.name for trace in fig.data] == SCALE  # the status order and colours of every status chart
    assert [trace.marker.color for trace in fig.data] == [vocab.STATUS_COLOURS[s] for s in SCALE]
    names = list(fig.data[0].y)
    assert names[0] == "KMGBF 3 · Conserve 30% of land, waters and seas"
    assert names[1].startswith("KMGBF 4 · Halt species extinction") and names[1].endswith("…")
    assert len(names[1]) == charts.TARGET_LABEL_MAX
    completed = fig.data[SCALE.index("Completed")]
    point = {"customdata": list(completed.customdata[1])}
    segment = charts.segment_from_point(fig.layout.meta["chart"], point)
    assert segment == {"target": "KMGBF-T4", "status": "Completed"}
    assert charts.describe_segment(segment) == "Completed · KMGBF-T4"
