import csv
import re
from datetime import date
from pathlib import Path

from sqlmodel import Session, select

from analytics import body_of_policy as bp
from db.models import Congress
from tests import factories as f

# A copy of ../shared/reference/resolution_counts.csv kept in the repo, so a clean checkout can run this.
SHARED_COUNTS = Path(__file__).resolve().parents[2] / "db" / "reference" / "resolution_counts.csv"


def _register(engine):
    """WCC-2016: 2 Resolutions (one archived, Land+Oceans) + 1 Recommendation (Oceans);
    WCC-2020: 3 Resolutions (Climate, Land, untagged). Nothing else."""
    with Session(engine) as s:
        f.resolution(s, 1, "WCC-2016", themes=("Land", "Oceans"), status="archived", archived_on=date(2024, 3, 1))
        f.resolution(s, 2, "WCC-2016", themes=("Land",))
        f.resolution(s, 101, "WCC-2016", kind="Recommendation", themes=("Oceans",))
        f.resolution(s, 1, "WCC-2020", themes=("Climate",))
        f.resolution(s, 2, "WCC-2020", themes=("Land",))
        f.resolution(s, 3, "WCC-2020")
        s.commit()


def _by_code(frame):
    return frame.set_index("code")


def test_per_congress_counts_the_register_and_labels_reference_figures(engine):
    _register(engine)
    with Session(engine) as s:
        frame = _by_code(bp.per_congress(session=s))
    assert len(frame) == 27 and frame.index[0] == "GA-1948" and frame.index[-1] == "WCC-2025"
    wcc16 = frame.loc["WCC-2016"]
    assert (wcc16.resolutions, wcc16.recommendations, wcc16.active, wcc16.archived, wcc16.register_total) == (
        2, 1, 2, 1, 3)
    assert (wcc16.source, wcc16.shown_total, wcc16.reference_count) == (bp.REGISTER, 3, 112)
    assert wcc16.agrees_with_reference is False  # 3 rows against 112 adopted: flagged, not hidden
    # Jeju 2012: no register row, a reference figure exists -> shown, labelled as such
    jeju = frame.loc["WCC-2012"]
    assert (jeju.register_total, jeju.shown_total, jeju.source) == (0, 183, bp.REFERENCE)
    assert jeju.agrees_with_reference is None
    # Fontainebleau 1948: neither
    ga = frame.loc["GA-1948"]
    assert ga.source == bp.UNKNOWN and ga.shown_total is __import__("pandas").NA


def test_totals_keep_register_and_reference_apart(engine):
    _register(engine)
    with Session(engine) as s:
        t = bp.totals(bp.per_congress(session=s))
    assert (t["register_total"], t["resolutions"], t["recommendations"], t["active"], t["archived"]) == (
        6, 5, 1, 5, 1)
    # reference only: 2000 (104), 2004 (118), 2012 (183), 2025 (148)
    assert (t["congresses_reference_only"], t["reference_only_total"]) == (4, 104 + 118 + 183 + 148)
    assert t["congresses_in_register"] == 2 and t["congresses_unknown"] == 27 - 2 - 4
    assert t["disagreements"] == ["WCC-2016", "WCC-2020"]


def test_filters_narrow_the_register_and_hide_reference_figures(engine):
    _register(engine)
    with Session(engine) as s:
        frame = _by_code(bp.per_congress(session=s, flt=bp.BodyFilter(themes=("Land",), year_from=2012)))
        kinds = _by_code(bp.per_congress(session=s, flt=bp.BodyFilter(kinds=("Recommendation",))))
    assert frame.index[0] == "WCC-2012" and len(frame) == 4
    assert frame.loc["WCC-2016", "register_total"] == 2 and frame.loc["WCC-2020", "register_total"] == 1
    assert frame.loc["WCC-2012", "source"] == bp.UNKNOWN  # 183 counts every theme: not comparable
    assert frame["agrees_with_reference"].isna().all()
    assert kinds.loc["WCC-2016", "register_total"] == 1 and kinds.loc["WCC-2020", "register_total"] == 0


def test_by_theme_counts_each_theme_of_a_resolution(engine):
    _register(engine)
    with Session(engine) as s:
        frame = bp.by_theme(session=s)
        only = bp.by_theme(session=s, flt=bp.BodyFilter(kinds=("Resolution",), themes=("Oceans", "Land")))
    got = {(r.theme, r.kind): (r.active, r.archived, r.total) for r in frame.itertuples()}
    assert got[("Land", "Resolution")] == (2, 1, 3)
    assert got[("Oceans", "Resolution")] == (0, 1, 1)
    assert got[("Oceans", "Recommendation")] == (1, 0, 1)
    assert got[("Climate", "Resolution")] == (1, 0, 1)
    assert got[("Water", "Recommendation")] == (0, 0, 0)  # every theme x kind present
    assert frame["theme"].drop_duplicates().tolist()[:5] == ["People", "Land", "Water", "Oceans", "Climate"]
    assert [(r.theme, r.kind, r.total) for r in only.itertuples()] == [
        ("Land", "Resolution", 3), ("Oceans", "Resolution", 1)]


def test_chart_series_cover_every_congress(engine):
    _register(engine)
    with Session(engine) as s:
        long = bp.kind_lifecycle_per_congress(session=s)
    assert long["code"].nunique() == 27
    by = long.set_index(["code", "series"])["count"]
    assert by[("WCC-2016", bp.RESOLUTIONS_ARCHIVED)] == 1 and by[("WCC-2016", bp.RESOLUTIONS_ACTIVE)] == 1
    assert by[("WCC-2016", bp.RECOMMENDATIONS_ACTIVE)] == 1 and by[("WCC-2016", bp.REFERENCE_ONLY)] == 0
    assert by[("WCC-2012", bp.REFERENCE_ONLY)] == 183 and by[("GA-1948", bp.REFERENCE_ONLY)] == 0
    assert long.groupby("code")["count"].sum()["WCC-2020"] == 3


# -- the demo register agrees with the published figures ------------------------------------------
def _published_figures() -> dict[int, set[int]]:
    """WCC session number -> every whole figure the shared reference file gives for that Congress
    (sources disagree for some Congresses, e.g. Hawai'i 112 or 106)."""
    figures: dict[int, set[int]] = {}
    with open(SHARED_COUNTS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found = re.search(r"WCC(\d+)\b(?! follow-up)", row["congress"])
            figure = row["figure"].replace(",", "")
            if found and figure.isdigit() and "follow-up" not in row["congress"]:
                figures.setdefault(int(found.group(1)), set()).add(int(figure))
    return figures


ADOPTED = re.compile(r"(R&R|resolutions( and recommendations)?) (adopted|approved)")
PARTIAL = re.compile(r"vote|Congress itself|differs")  # one part of a Congress' total, or a disputed figure


def _adopted_figures() -> dict[int, int]:
    """WCC session -> the figure the shared file gives for what was adopted or approved: the one
    source row per Congress counting all Resolutions and Recommendations (ENB / IUCN)."""
    chosen = {}
    with open(SHARED_COUNTS, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found = re.search(r"WCC(\d+)$", row["congress"])
            what = row["what_it_counts"]
            if found and row["figure"].isdigit() and ADOPTED.match(what) and not PARTIAL.search(what):
                chosen.setdefault(int(found.group(1)), int(row["figure"]))
    return chosen


def test_demo_register_totals_agree_with_the_published_counts(demo_file):
    from db.engine import make_engine

    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        frame = bp.per_congress(session=s)
        sessions = dict(s.exec(select(Congress.code, Congress.session)
                               .where(Congress.kind == "World Conservation Congress")).all())
    engine.dispose()
    held = frame[frame["register_total"] > 0]
    assert set(held["code"]) == {"WCC-2000", "WCC-2004", "WCC-2012", "WCC-2016", "WCC-2020", "WCC-2025"}
    published, adopted = _published_figures(), _adopted_figures()
    for row in held.itertuples():
        session_number = sessions[row.code]
        # the register's total is one of the figures published for that Congress...
        assert row.register_total in published[session_number], row.code
        # ... the one counting everything adopted where the file names it ...
        if session_number in adopted:
            assert row.register_total == adopted[session_number], row.code
        # ... and the app's own reference figure says the same (so the page shows them agreeing)
        assert row.agrees_with_reference is True, row.code
    # Marseille: adopted by e-vote plus adopted at the Congress itself, as the file splits it
    with open(SHARED_COUNTS, encoding="utf-8", newline="") as handle:
        marseille = [r for r in csv.DictReader(handle) if r["congress"] == "Marseille WCC7"
                     and ADOPTED.match(r["what_it_counts"]) and PARTIAL.search(r["what_it_counts"])]
    assert len(marseille) == 2
    assert held.set_index("code").loc["WCC-2020", "register_total"] == sum(int(r["figure"]) for r in marseille)


def test_the_chart_groups_congresses_with_no_known_count_instead_of_leaving_their_columns_empty(engine):
    """Of 27 Congresses the demo register and the reference figures know 6: 21 empty columns read as a broken
    chart. Consecutive unknown ones share one column marked so; every known one keeps its own."""
    _register(engine)
    with Session(engine) as s:
        long = bp.kind_lifecycle_per_congress(session=s)
    slots = bp.chart_slots(long)
    assert list(slots["slot"]) == [
        "1948–1996 (20 Congresses)", "Amman 2000 (WCC 2)", "Bangkok 2004 (WCC 3)", "Barcelona 2008 (WCC 4)",
        "Jeju 2012 (WCC 5)", "Honolulu 2016 (WCC 6)", "Marseille 2020 (WCC 7)", "Abu Dhabi 2025 (WCC 8)"]
    assert list(slots["code"]) == ["", "WCC-2000", "WCC-2004", "", "WCC-2012", "WCC-2016", "WCC-2020", "WCC-2025"]
    assert len(slots.loc[0, "codes"]) == 20 and slots.loc[3, "codes"] == ("WCC-2008",)
    fig = bp.per_congress_chart(long)
    assert all(list(t.x) == list(slots["slot"]) for t in fig.data)
    totals = fig.data[-1]
    assert list(totals.text) == [bp.NOT_KNOWN, "104", "118", bp.NOT_KNOWN, "183", "3", "3", "148"]
    by_series = {t.name: list(t.y) for t in fig.data[:-1]}
    assert by_series[bp.REFERENCE_ONLY] == [0, 104, 118, 0, 183, 0, 0, 148]
    assert by_series[bp.RESOLUTIONS_ACTIVE] == [0, 0, 0, 0, 0, 1, 3, 0]


def test_a_clicked_column_names_its_congress(engine):
    _register(engine)
    with Session(engine) as s:
        fig = bp.per_congress_chart(bp.kind_lifecycle_per_congress(session=s))
    for trace in fig.data:  # a click on any segment, or on the total above it
        assert [c[0] for c in trace.customdata][4:6] == ["WCC-2012", "WCC-2016"]
    assert bp.congress_of_point({"customdata": ["WCC-2016"], "x": "Honolulu 2016 (WCC 6)"}) == "WCC-2016"
    assert bp.congress_of_point({"customdata": [""]}) is None  # the column of unknown counts
    assert bp.congress_of_point({}) is None
