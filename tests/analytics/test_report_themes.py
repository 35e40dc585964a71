"""What the reports say (issue 18): the mining on a hand-made corpus whose groups are known, the corpus read
from both databases (what is published and counted only), the ranking and the near-duplicate Resolutions."""

from datetime import UTC, datetime

import pandas as pd
from sqlmodel import Session

from analytics import report_themes as rt
from analytics.filters import ProgressFilter
from db.models import ActivityReport, ProgressReportComponent, ProgressReportRevision
from tests import factories as f
from tests.analytics.report_theme_corpus import TOPICS, frame


def groups_by_topic(result: rt.Mining, topics: pd.Series) -> dict[tuple[str, str], set[str]]:
    """(language, topic) -> the groups its texts landed in."""
    placed = result.texts.assign(topic=topics.to_numpy())
    return {key: set(rows["group"]) for key, rows in placed.groupby(["language", "topic"])}


def test_each_text_lands_in_the_group_of_its_topic_per_language():
    corpus = frame()
    result = rt.mine(corpus.drop(columns="topic"))
    placed = groups_by_topic(result, corpus["topic"])
    assert all(len(groups) == 1 for groups in placed.values()), placed  # a topic's texts stay together ...
    found = [next(iter(groups)) for groups in placed.values()]
    assert len(set(found)) == len(found) == 2 * len(TOPICS)  # ... and apart from the other topics' texts
    assert not result.across_languages and set(result.groups["scope"]) == {"en", "fr"}
    assert sorted(result.groups["texts"]) == [4] * 6 and sorted(result.groups["reports"]) == [4] * 6
    terms = {(row.scope, frozenset(row.terms)) for row in result.groups.itertuples()}
    assert any(scope == "en" and {"funding", "budget", "donors"} <= words for scope, words in terms)
    assert any(scope == "fr" and {"financement", "budget", "bailleurs"} <= words for scope, words in terms)
    assert any(scope == "en" and "staff" in words for scope, words in terms)
    assert any(scope == "fr" and {"politique", "gouvernement"} <= words for scope, words in terms)
    # The typical quotes are texts of the group, each once, with their report
    for row in result.groups.itertuples():
        members = set(result.texts.loc[result.texts["group"] == row.key, "text"])
        assert len(row.quotes) == rt.QUOTES_SHOWN and {q["text"] for q in row.quotes} <= members
        assert all(q["kind"] == "activity" and q["codes"] == ["WCC-2020-Res-001"] for q in row.quotes)


def test_the_mining_is_the_same_on_every_run():
    corpus = frame().drop(columns="topic")
    first, second = rt.mine(corpus), rt.mine(corpus.sample(frac=1, random_state=3).sort_index())
    assert first.texts["group"].tolist() == second.texts["group"].tolist()
    assert first.groups.drop(columns=["quotes"]).equals(second.groups.drop(columns=["quotes"]))


def test_across_languages_the_groups_say_so_and_topics_still_stay_apart():
    corpus = frame()
    result = rt.mine(corpus.drop(columns="topic"), across_languages=True)
    assert result.across_languages and set(result.groups["scope"]) == {rt.ALL_LANGUAGES}
    placed = groups_by_topic(result, corpus["topic"])
    assert all(len(groups) == 1 for groups in placed.values())
    for topic in TOPICS:  # no group mixes two topics
        mine = placed[("en", topic)] | placed[("fr", topic)]
        others = set().union(*(g for (_l, t), g in placed.items() if t != topic))
        assert not mine & others


def test_ranking_per_year_theme_and_region():
    corpus = frame().drop(columns="topic")
    corpus.loc[:3, "year"] = 2024  # the first English funding texts are of 2024
    result = rt.mine(corpus)
    by_year = rt.ranking(result, "year")
    funding = result.texts.loc[0, "group"]
    assert by_year[(by_year["group"] == funding)].set_index("year")["texts"].to_dict() == {2024: 4}
    assert by_year.loc[by_year["year"] == 2025, "texts"].sum() == len(corpus) - 4
    by_region = rt.ranking(result, "region")
    assert set(by_region["regions"]) == {"Africa"} and by_region["texts"].sum() == len(corpus)
    by_theme = rt.ranking(result, "theme")
    assert by_theme["reports"].sum() == len(corpus)


def test_curation_renames_merges_and_keeps_a_pinned_group_after_new_data():
    corpus = frame()
    texts = corpus.drop(columns="topic")
    first = rt.mine(texts)
    key_of = {topic: first.texts.loc[corpus.index[(corpus["topic"] == topic) & (corpus["language"] == "en")][0],
                                     "group"] for topic in TOPICS}
    group = first.groups.set_index("key")
    curated = [rt.Curated(id=1, scope="en", name="Money", pinned=True, terms=group.loc[key_of["funding"], "signature"],
                          merged_into=None),
               rt.Curated(id=2, scope="en", name="People", pinned=False, terms=group.loc[key_of["staff"], "signature"],
                          merged_into=None),
               rt.Curated(id=3, scope="en", name=None, pinned=False, terms=group.loc[key_of["political"], "signature"],
                          merged_into=2)]
    new = pd.DataFrame([("activity", 99, "challenges", "The donors cancelled the funding of the project budget.",
                         ("WCC-2020-Res-002",), 2026, (), (), "en"),
                        ("activity", 100, "challenges", "Severe drought and wildfires damaged the restored sites.",
                         ("WCC-2020-Res-002",), 2026, (), (), "en")], columns=rt.CORPUS_COLUMNS)
    second = rt.mine(pd.concat([texts, new], ignore_index=True), curated=curated)
    named = second.groups.set_index("name", drop=False)
    assert named.loc["Money", "pinned"] and named.loc["Money", "curated_id"] == 1
    money = set(second.texts.loc[second.texts["group"] == named.loc["Money", "key"], "report_id"])
    assert money == set(corpus.loc[(corpus["topic"] == "funding") & (corpus["language"] == "en"), "report_id"]) | {99}
    people = set(second.texts.loc[second.texts["group"] == named.loc["People", "key"], "report_id"])
    assert people == set(corpus.loc[corpus["topic"].isin(["staff", "political"]) & (corpus["language"] == "en"),
                                    "report_id"])
    assert named.loc["People", "texts"] == 8 and not second.lost
    assert set(second.groups.loc[second.groups["scope"] == "fr", "name"].isna()) == {True}  # French: untouched


def test_a_named_group_no_run_resembles_is_reported_lost():
    curated = [rt.Curated(id=7, scope="en", name="Locusts", pinned=False, terms={"locusts": 1.0}, merged_into=None)]
    result = rt.mine(frame().drop(columns="topic"), curated=curated)
    assert [c.name for c in result.lost] == ["Locusts"] and result.groups["name"].isna().all()


def test_nothing_to_mine_gives_no_group():
    result = rt.mine(pd.DataFrame(columns=rt.CORPUS_COLUMNS))
    assert result.groups.empty and result.texts.empty and rt.ranking(result, "year").empty


# -- the corpus, from the database (SQLite and PostgreSQL) ----------------------------------------------------
def _published(s, res, author, year, challenges, solutions, language="en", component=None):
    report = f.progress_report(s, res, author, year=year, state="published", status="Initiated")
    report.language = language
    report.challenges = "the working copy is not what was published"
    s.add(ProgressReportRevision(progress_report_id=report.id, revision=1, status="Initiated", published_by=author.id,
                                 content={"challenges": challenges, "solutions": solutions}))
    if component is not None:
        s.add(ProgressReportComponent(progress_report_id=report.id, component_id=component.id))
    s.flush()
    return report


def _activity(s, comp, author, res, challenges, support=None, state="submitted", year=2025, language="en",
              public=False):
    report = f.activity_report(s, comp, author, (res,), state=state,
                               submitted_at=datetime(year, 5, 1, tzinfo=UTC) if state == "submitted" else None)
    report.challenges, report.support_needed, report.language, report.shown_publicly = (challenges, support,
                                                                                         language, public)
    s.add(report)
    s.flush()
    return report


def test_the_corpus_holds_published_and_counted_texts_only(engine):
    with Session(engine) as s:
        africa = f.component(s, "A Member in Africa", region="Africa", country="Kenya")
        europe = f.component(s, "A Member in Europe", region="West Europe")
        author = f.user(s, "writer", ("focal_point",), components=(africa, europe))
        res = f.resolution(s, 1, themes=("Oceans",))
        other = f.resolution(s, 2, congress_code="WCC-2016")
        pr = _published(s, res, author, 2025, "Funding ran out.", "Ask the donors.", component=africa)
        f.progress_report(s, res, author, year=2024, state="draft").challenges = "A draft: not mined."
        ar = _activity(s, africa, author, res, "Too few staff.", "Two more rangers.", public=True)
        _activity(s, europe, author, other, "Le financement manquait.", language="fr", year=2024)
        _activity(s, africa, author, res, "Still a draft.", state="draft")
        old = _activity(s, africa, author, res, "Replaced by its correction.")
        correction = _activity(s, africa, author, res, "The correction.", year=2025)
        correction.supersedes_id = old.id
        s.add(correction)
        s.flush()

        everything = rt.corpus(session=s)
        assert sorted(everything["text"]) == sorted(["Funding ran out.", "Ask the donors.", "Too few staff.",
                                                     "Two more rangers.", "Le financement manquait.",
                                                     "The correction."])
        row = everything.set_index("text").loc["Funding ran out."]
        assert (row["kind"], row["report_id"], row["field"], row["codes"], row["year"], row["themes"],
                row["regions"], row["language"]) == ("progress", pr.id, "challenges", (res.code,), 2025, ("Oceans",),
                                                     ("Africa",), "en")
        support = everything.set_index("text").loc["Two more rangers."]
        assert (support["kind"], support["report_id"], support["field"]) == ("activity", ar.id, "support_needed")

        def texts(**filters):
            return sorted(rt.corpus(session=s, flt=ProgressFilter(**filters))["text"])

        assert texts(year=2024) == ["Le financement manquait."]
        assert texts(languages=("fr",)) == ["Le financement manquait."]
        assert texts(congress="WCC-2016") == ["Le financement manquait."]
        assert texts(regions=("Africa",), year=2025) == sorted(["Funding ran out.", "Ask the donors.",
                                                                "Too few staff.", "Two more rangers.",
                                                                "The correction."])
        assert texts(themes=("Oceans",), kinds=("Resolution",), component_kinds=("Member",)) == texts(
            regions=("Africa",))
        # The public: published Progress Reports and the Activity Reports their components chose to show
        assert texts(public=True) == sorted(["Funding ran out.", "Ask the donors.", "Too few staff.",
                                             "Two more rangers."])
        assert s.get(ActivityReport, ar.id).shown_publicly
        mined = rt.mined(session=s)
        assert mined.texts["text"].tolist() == everything["text"].tolist()


def test_near_duplicate_resolutions_are_found_against_the_older_one(engine):
    with Session(engine) as s:
        older = f.resolution(s, 10, congress_code="WCC-2016",
                             title="Conservation of sharks and rays in the high seas")
        older.summary = "Calls on States to protect sharks and rays from overfishing in the high seas."
        newer = f.resolution(s, 11, title="Conservation of sharks and rays on the high seas and coasts")
        newer.summary = "Urges States to protect sharks and rays from overfishing on the high seas."
        f.resolution(s, 12, title="Urban green spaces for health")
        s.add_all([older, newer])
        s.flush()
        pairs = rt.near_duplicates(session=s)
        assert pairs[["code", "older_code"]].values.tolist() == [[newer.code, older.code]]
        assert pairs.loc[0, "similarity"] >= rt.DUPLICATE_THRESHOLD
        assert rt.near_duplicates(session=s, congress="WCC-2016").empty  # the older one has no older twin
        assert rt.near_duplicates(session=s, threshold=0.999).empty


def test_the_yearly_analysis_quotes_the_reporters_words_with_their_reports(engine):
    import io

    from pypdf import PdfReader

    from analytics import yearly_analysis
    from analytics.export_pdf import analysis_pdf

    with Session(engine) as s:
        africa = f.component(s, "A Member in Africa", region="Africa", country="Kenya")
        author = f.user(s, "writer", ("focal_point",), components=(africa,))
        res = f.resolution(s, 1)
        for english, _french in TOPICS.values():
            for text in english:
                _activity(s, africa, author, res, text, year=2025)
        s.commit()
        words = yearly_analysis.reporters_words(session=s, congress="WCC-2020", year=2025)
        assert sorted(words["texts"]) == [4, 4, 4] and all(len(q) == rt.QUOTES_SHOWN for q in words["quotes"])
        assert all(q["codes"] == [res.code] for quotes in words["quotes"] for q in quotes)
        sections = yearly_analysis.sections(session=s, congress="WCC-2020", year=2025)
        assert sections.reporters_words.equals(words)
        pdf = analysis_pdf(sections, narrative=[("obstacles", "Obstacles", "")], note="Draft")
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "in the reporters' words" in text.replace("’", "'") and res.code in text
        assert yearly_analysis.reporters_words(session=s, congress="WCC-2020", year=2024).empty


def test_the_demo_says_what_slowed_implementation_in_africa_in_2025(demo_file):
    from db.engine import make_engine

    engine = make_engine(f"sqlite:///{demo_file}")
    try:
        with Session(engine) as s:
            result = rt.mined(session=s, flt=ProgressFilter(year=2025, regions=("Africa",)))
    finally:
        engine.dispose()
    assert len(result.texts) >= 20 and all("Africa" in regions for regions in result.texts["regions"])
    assert (result.groups["texts"] >= 3).sum() >= 4 and all(len(q) >= 1 for q in result.groups["quotes"])
    assert any("funding" in terms for terms in result.groups["terms"])
    assert result.texts["text"].nunique() > 9  # varied wordings, not nine repeated sentences
