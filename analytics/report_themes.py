"""What the reports say (issue 18): the reporters' own words on what slowed implementation, grouped into themes.

The corpus is every published Progress Report's challenges and solutions (as published: its latest revision)
and every counted Activity Report's challenges and support needed (db/counting.py), each text with its report.
Texts are grouped per language (the default: words of one language are compared with words of the same
language) or across languages when asked, with scikit-learn: TF-IDF of the words (stop words of English, French
and Spanish left out) and k-means with a fixed seed, so the same texts always give the same groups. Each group is
labelled by its characteristic words (the heaviest terms of its centroid) and its most typical texts (closest to
the centroid).

The Secretariat's curation (db/models.ReportThemeGroup, written by services/report_themes.py) is applied on
every run: a pinned group takes the texts that resemble it before the clustering runs, so it keeps its name and
its identity when the data change; a named or merged group is recognised in a new run by the similarity of a
cluster's terms to the terms stored with it.

Also here: near-duplicate Resolutions (title, summary and operative paragraphs very similar to an older
Resolution's), for the consolidation Council asked for.
"""

import math
import unicodedata
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from sqlalchemy import and_, func
from sqlmodel import Session, select
from threadpoolctl import threadpool_limits

from analytics.filters import ProgressFilter
from db import models
from db.counting import counted_activity, published, tagged_with, written_in, year_bounds
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    Congress,
    ProgressReport,
    ProgressReportComponent,
    ProgressReportRevision,
    ReportThemeGroup,
    Resolution,
    ResolutionTheme,
    Theme,
)

SEED = 0  # one fixed seed: the same texts always give the same groups
ALL_LANGUAGES = "all"  # the scope of groups made across languages
TERMS_SHOWN = 6  # characteristic words per group
QUOTES_SHOWN = 3  # typical texts per group
SIGNATURE_TERMS = 30  # terms stored with a curated group, to recognise it in later runs
MATCH_THRESHOLD = 0.35  # cosine of a cluster's centroid with a stored group's terms: the same group
PIN_THRESHOLD = 0.2  # cosine of a text with a pinned group's terms: the text belongs to the pinned group
DUPLICATE_THRESHOLD = 0.6  # cosine of two Resolutions' texts above which they are near-duplicates
MAX_GROUPS = 16
SAMPLE = 3000  # texts judged when choosing the number of groups, and above which k-means runs in mini-batches
QUOTE_MAX = 400  # characters of a quote shown

# Fields mined, per kind of report.
FIELDS = {"progress": ("challenges", "solutions"), "activity": ("challenges", "support_needed")}


def _plain(word: str) -> str:
    """Lower case without accents: the vectoriser's own normalisation (strip_accents="unicode")."""
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


_FRENCH = """au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur leurs lui ma
mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
vos votre vous été être avoir ont ete etait etaient sont est fait faire plus peu tres très aussi ainsi donc comme
car entre sans sous vers chez tout tous toute toutes autre autres plusieurs certains certaines leurs dont cela ceci
celle celui ceux lors pendant depuis avant apres après encore deja déjà non oui ici là afin selon quelques""".split()
_SPANISH = """el la los las un una unos unas de del al y o u e en con por para sin sobre entre hacia desde hasta que
qui quien cual como cuando donde se su sus le les lo mi mis tu tus nuestro nuestra nuestros nuestras es son fue
fueron ser estar esta este estos estas ese esa esos esas está están han ha había habían hay muy mas más menos
tambien también pero sino ya no si sí porque pues otro otra otros otras varios varias algunos algunas todo todos
toda todas durante antes despues después aun aún cada ello ellos ellas entonces así asi segun según""".split()
# Words every report writes whatever slowed it: they would make every group alike.
_REPORTING = """resolution resolutions implementation implement implementing iucn work year period activities
activity report reports resolucion resoluciones implementacion resolucion resolución año periodo actividades
informe mise oeuvre œuvre annee année période activites activités rapport""".split()
STOP_WORDS = sorted({_plain(w) for w in (*ENGLISH_STOP_WORDS, *_FRENCH, *_SPANISH, *_REPORTING)})


EVERYTHING = ProgressFilter()  # every Congress, every year, every report (the corpus' default)


# -- the corpus ----------------------------------------------------------------------------------------------
CORPUS_COLUMNS = ["kind", "report_id", "field", "text", "codes", "year", "themes", "regions", "language"]


def _resolution_filter(flt: ProgressFilter, resolution_id):
    """The filter's Congress, themes and kinds, as a condition on a report's Resolution id."""
    chosen = select(Resolution.id)
    if flt.congress:
        chosen = chosen.join(Congress, Congress.id == Resolution.congress_id).where(Congress.code == flt.congress)
    if flt.themes:
        chosen = chosen.where(tagged_with(flt.themes))
    if flt.kinds:
        chosen = chosen.where(Resolution.kind.in_(flt.kinds))
    return resolution_id.in_(chosen)


def _resolution_facts(session: Session, ids: set[int]) -> tuple[dict[int, str], dict[int, tuple[str, ...]]]:
    codes = dict(session.exec(select(Resolution.id, Resolution.code).where(Resolution.id.in_(ids))).all()) if ids \
        else {}
    themes: dict[int, list[str]] = {}
    if ids:
        for rid, name in session.exec(select(ResolutionTheme.resolution_id, Theme.name)
                                      .join(Theme, Theme.id == ResolutionTheme.theme_id)
                                      .where(ResolutionTheme.resolution_id.in_(ids)).order_by(Theme.name)):
            themes.setdefault(rid, []).append(name)
    return codes, {rid: tuple(names) for rid, names in themes.items()}


def corpus(*, session: Session, flt: ProgressFilter = EVERYTHING) -> pd.DataFrame:
    """Every text to mine under the filter: one row per report and field (CORPUS_COLUMNS). codes, themes and
    regions are tuples (a report may be on several Resolutions; a Progress Report's regions are those of the
    components it names). The filter's Congress, year, themes, kinds, regions, component kinds and languages
    apply; Congress or year None: every Congress, every year. flt.public: only what the public may read."""
    progress_rows = session.exec(
        select(ProgressReport.id, ProgressReport.resolution_id, ProgressReport.year, ProgressReport.language,
               ProgressReportRevision.content)
        .join(ProgressReportRevision, and_(ProgressReportRevision.progress_report_id == ProgressReport.id,
                                           ProgressReportRevision.revision == ProgressReport.revision))
        .where(published(), written_in(flt.languages, ProgressReport),
               _resolution_filter(flt, ProgressReport.resolution_id),
               *([ProgressReport.year == flt.year] if flt.year else []))
        .order_by(ProgressReport.id)
    ).all()
    activity_query = (
        select(ActivityReport.id, ActivityReport.submitted_at, ActivityReport.language, ActivityReport.challenges,
               ActivityReport.support_needed, Component.region, Component.kind)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(counted_activity(public=flt.public), written_in(flt.languages),
               ActivityReport.id.in_(select(ActivityReportResolution.activity_report_id).where(
                   _resolution_filter(flt, ActivityReportResolution.resolution_id))),
               (ActivityReport.challenges.is_not(None)) | (ActivityReport.support_needed.is_not(None)))
        .order_by(ActivityReport.id)
    )
    if flt.year:
        start, end = year_bounds(flt.year)
        activity_query = activity_query.where(ActivityReport.submitted_at >= start, ActivityReport.submitted_at < end)
    if flt.regions:
        activity_query = activity_query.where(Component.region.in_(flt.regions))
    if flt.component_kinds:
        activity_query = activity_query.where(Component.kind.in_(flt.component_kinds))
    activity_rows = session.exec(activity_query).all()

    activity_ids = [row[0] for row in activity_rows]
    links: dict[int, list[int]] = {}
    for chunk in range(0, len(activity_ids), 5000):
        for aid, rid in session.exec(select(ActivityReportResolution.activity_report_id,
                                            ActivityReportResolution.resolution_id)
                                     .where(ActivityReportResolution.activity_report_id.in_(
                                         activity_ids[chunk:chunk + 5000]))):
            links.setdefault(aid, []).append(rid)
    progress_components: dict[int, list[tuple[str | None, str]]] = {}
    progress_ids = [row[0] for row in progress_rows]
    for chunk in range(0, len(progress_ids), 5000):
        for pid, region, kind in session.exec(
                select(ProgressReportComponent.progress_report_id, Component.region, Component.kind)
                .join(Component, Component.id == ProgressReportComponent.component_id)
                .where(ProgressReportComponent.progress_report_id.in_(progress_ids[chunk:chunk + 5000]))):
            progress_components.setdefault(pid, []).append((region, kind))
    codes, themes = _resolution_facts(session, {r[1] for r in progress_rows} | {r for v in links.values() for r in v})

    records = []
    for pid, rid, year, language, content in progress_rows:
        components = progress_components.get(pid, [])
        if flt.component_kinds and not any(kind in flt.component_kinds for _r, kind in components):
            continue
        regions = tuple(sorted({region for region, _k in components if region}))
        if flt.regions and not set(regions) & set(flt.regions):
            continue
        for name in FIELDS["progress"]:
            text = ((content or {}).get(name) or "").strip()
            if text:
                records.append(("progress", pid, name, text, (codes[rid],), year, themes.get(rid, ()), regions,
                                language))
    for aid, submitted_at, language, challenges, support, region, _kind in activity_rows:
        rids = sorted(links.get(aid, []))
        report_themes = tuple(sorted({t for r in rids for t in themes.get(r, ())}))
        for name, text in (("challenges", challenges), ("support_needed", support)):
            text = (text or "").strip()
            if text:
                records.append(("activity", aid, name, text, tuple(codes[r] for r in rids), submitted_at.year,
                                report_themes, (region,) if region else (), language))
    return pd.DataFrame(records, columns=CORPUS_COLUMNS)


def filter_choices(*, session: Session) -> dict[str, list]:
    """What the page's filters offer: the years with a published Progress Report or a counted Activity Report
    (newest first) and the theme names."""
    years = set(session.exec(select(ProgressReport.year).where(published()).distinct()).all())
    years |= {int(y) for y in session.exec(select(func.extract("year", ActivityReport.submitted_at)).where(
        counted_activity(state_index=False)).distinct()) if y is not None}
    themes = session.exec(select(Theme.name).order_by(Theme.sort_order, Theme.name)).all()
    return {"years": sorted(years, reverse=True), "themes": list(themes)}


# -- the Secretariat's curation, as the mining reads it ------------------------------------------------------
@dataclass(frozen=True)
class Curated:
    """A stored group (db/models.ReportThemeGroup) as the mining applies it."""

    id: int
    scope: str  # a language code, or ALL_LANGUAGES
    name: str | None
    pinned: bool
    terms: dict[str, float]  # its signature: term -> weight
    merged_into: int | None


def curated_groups(*, session: Session) -> list[Curated]:
    return [Curated(id=g.id, scope=g.scope, name=g.name, pinned=g.pinned, terms=dict(g.terms or {}),
                    merged_into=g.merged_into_id)
            for g in session.exec(select(ReportThemeGroup).order_by(ReportThemeGroup.id))]


def _final(curated: dict[int, Curated], gid: int) -> int:
    """The group a stored group ends in after its merges (merge chains are followed, loops cut)."""
    seen = set()
    while curated[gid].merged_into is not None and gid not in seen and curated[gid].merged_into in curated:
        seen.add(gid)
        gid = curated[gid].merged_into
    return gid


# -- the mining ----------------------------------------------------------------------------------------------
@dataclass
class Mining:
    """The groups of one run (picklable, for the page cache).

    groups: key, scope, name (the Secretariat's, else None), curated_id (the stored group, else None),
    pinned, terms (characteristic words), signature (term -> weight, what curating it stores), texts, reports,
    quotes (list of dicts: kind, report_id, field, codes, year, language, text), most texts first.
    texts: the corpus with the column group (the key of its group)."""

    groups: pd.DataFrame
    texts: pd.DataFrame
    across_languages: bool
    lost: list[Curated] = field(default_factory=list)  # named or pinned groups no cluster of this run resembles


GROUP_COLUMNS = ["key", "scope", "name", "curated_id", "pinned", "terms", "signature", "texts", "reports", "quotes"]


def _vectoriser() -> TfidfVectorizer:
    return TfidfVectorizer(strip_accents="unicode", lowercase=True, stop_words=STOP_WORDS,
                           token_pattern=r"(?u)\b[^\W\d_]{3,}\b", sublinear_tf=True, ngram_range=(1, 1),
                           dtype=np.float32)


def _signature_vector(terms: dict[str, float], vocabulary: dict[str, int], width: int) -> np.ndarray:
    vector = np.zeros(width, dtype=np.float32)
    for term, weight in terms.items():
        if term in vocabulary:
            vector[vocabulary[term]] = weight
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def _choose_k(matrix, n: int, distinct: int, seed: int) -> int:
    """The number of clusters: the best silhouette among a few candidates (fewer than the `distinct` texts),
    judged on a sample of at most SAMPLE texts when there are more (the final clustering then runs once on every
    text)."""
    if distinct < 3:
        return max(1, distinct)
    if n > SAMPLE:
        matrix = matrix[np.random.default_rng(seed).choice(n, SAMPLE, replace=False)]
    top = min(MAX_GROUPS, matrix.shape[0] - 1, distinct - 1)
    candidates = sorted({k for k in (*range(2, 9), 10, 12, 16) if k <= top}
                        | {max(2, min(top, round(math.sqrt(n / 2))))})
    best, best_score = candidates[0], -2.0
    for k in candidates:
        labels = KMeans(n_clusters=k, random_state=seed, n_init=4).fit_predict(matrix)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(matrix, labels, metric="cosine")
        if score > best_score + 1e-6:
            best, best_score = k, score
    return best


def _kmeans(matrix, k: int, seed: int) -> np.ndarray:
    if k <= 1:
        return np.zeros(matrix.shape[0], dtype=int)
    if matrix.shape[0] > SAMPLE:  # mini-batches: 100,000 texts in seconds (bench/report_themes.py)
        model = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
    else:
        model = KMeans(n_clusters=k, random_state=seed, n_init=10)
    return model.fit_predict(matrix)


def _cluster_scope(texts: pd.DataFrame, scope: str, curated: list[Curated], n_groups: int | None,
                   seed: int) -> tuple[list[dict], np.ndarray, list[Curated]]:
    """Group the texts of one scope. Returns the groups (dicts of GROUP_COLUMNS, key without the scope prefix),
    the group of each text (an index into the groups) and the curated groups no cluster resembled."""
    vectoriser = _vectoriser()
    try:
        matrix = vectoriser.fit_transform(texts["text"])
    except ValueError:  # nothing but stop words
        matrix = None
    if matrix is None or matrix.shape[1] == 0:
        return ([_group_record(texts, np.arange(len(texts)), None, None, [])],
                np.zeros(len(texts), dtype=int), [])
    vocabulary = vectoriser.vocabulary_
    terms = vectoriser.get_feature_names_out()
    by_id = {c.id: c for c in curated}
    assignment = np.full(len(texts), -1)

    # 1. Pinned groups take the texts that resemble them (their own signature or one merged into them).
    pinned = [c for c in curated if c.pinned and c.merged_into is None]
    groups: list[dict] = []
    if pinned:
        signatures = np.vstack([np.vstack([_signature_vector(m.terms, vocabulary, len(terms))
                                           for m in curated if _final(by_id, m.id) == p.id]).max(axis=0)
                                for p in pinned])
        similarity = np.asarray(matrix @ signatures.T)
        best = similarity.argmax(axis=1)
        taken = similarity[np.arange(len(texts)), best] >= PIN_THRESHOLD
        for index, group in enumerate(pinned):
            members = np.flatnonzero(taken & (best == index))
            assignment[members] = len(groups)
            groups.append({"curated": group, "members": members})

    # 2. k-means on the rest.
    rest = np.flatnonzero(assignment < 0)
    if len(rest):
        distinct = texts["text"].iloc[rest].str.lower().nunique()
        with warnings.catch_warnings():  # texts alike but for case or stop words: fewer clusters than asked, fine
            warnings.simplefilter("ignore", ConvergenceWarning)
            k = n_groups if n_groups else _choose_k(matrix[rest], len(rest), distinct, seed)
            labels = _kmeans(matrix[rest], min(k, distinct), seed)
        for label in sorted(set(labels)):
            members = rest[labels == label]
            assignment[members] = len(groups)
            groups.append({"curated": None, "members": members})

    # 3. Named or merged stored groups are recognised by their terms; clusters ending in one group are one group.
    centroids = [np.asarray(matrix[g["members"]].mean(axis=0)).ravel() if len(g["members"]) else
                 np.zeros(len(terms)) for g in groups]
    centroids = [c / (np.linalg.norm(c) or 1) for c in centroids]
    matched: set[int] = {g["curated"].id for g in groups if g["curated"] is not None}
    for stored in sorted((c for c in curated if not (c.pinned and c.merged_into is None)), key=lambda c: c.id):
        signature = _signature_vector(stored.terms, vocabulary, len(terms))
        scores = [float(c @ signature) if g["curated"] is None else -1 for g, c in zip(groups, centroids)]
        if scores and max(scores) >= MATCH_THRESHOLD:
            groups[int(np.argmax(scores))]["curated"] = stored
            matched.add(stored.id)
    final_of = {}
    for index, g in enumerate(groups):
        final_of[index] = _final(by_id, g["curated"].id) if g["curated"] is not None else ("run", index)
    merged: dict[object, list[int]] = {}
    for index, target in final_of.items():
        merged.setdefault(target, []).append(index)
    records, new_assignment = [], np.zeros(len(texts), dtype=int)
    for target, indexes in merged.items():
        members = np.concatenate([groups[i]["members"] for i in indexes]).astype(int)
        if not len(members) and not (isinstance(target, int) and by_id[target].pinned):
            continue
        stored = by_id.get(target) if isinstance(target, int) else None
        new_assignment[members] = len(records)
        records.append(_group_record(texts, members, matrix, stored, terms))
    lost = [c for c in curated if c.merged_into is None and (c.name or c.pinned)
            and _final(by_id, c.id) not in {_final(by_id, m) for m in matched}]
    return records, new_assignment, lost


def _group_record(texts: pd.DataFrame, members: np.ndarray, matrix, stored: Curated | None, terms) -> dict:
    words, signature, order = [], {}, members
    if matrix is not None and len(members):
        centroid = np.asarray(matrix[members].mean(axis=0)).ravel()
        heaviest = np.argsort(-centroid, kind="stable")[:SIGNATURE_TERMS]
        signature = {str(terms[i]): round(float(centroid[i]), 4) for i in heaviest if centroid[i] > 0}
        words = list(signature)[:TERMS_SHOWN]
        unit = centroid / (np.linalg.norm(centroid) or 1)
        closeness = np.asarray(normalize(matrix[members]) @ unit).ravel()
        order = members[np.argsort(-closeness, kind="stable")]
    quotes, seen = [], set()
    for i in order:
        row = texts.iloc[int(i)]
        if row["text"] in seen:  # the same sentence from several reports is quoted once
            continue
        seen.add(row["text"])
        quotes.append({"kind": row["kind"], "report_id": int(row["report_id"]), "field": row["field"],
                       "codes": list(row["codes"]), "year": int(row["year"]), "language": row["language"],
                       "text": row["text"][:QUOTE_MAX]})
        if len(quotes) == QUOTES_SHOWN:
            break
    chosen = texts.iloc[members]
    return {"name": stored.name if stored else None, "curated_id": stored.id if stored else None,
            "pinned": bool(stored.pinned) if stored else False, "terms": words, "signature": signature,
            "texts": len(members), "reports": chosen[["kind", "report_id"]].drop_duplicates().shape[0],
            "quotes": quotes}


def mine(texts: pd.DataFrame, *, curated: list[Curated] = (), across_languages: bool = False,
         n_groups: int | None = None, seed: int = SEED) -> Mining:
    """Group the corpus (corpus()) per language, or across languages. n_groups: clusters per scope (None: chosen
    by silhouette). The curation is applied (module docstring). Groups are ranked by texts, most first."""
    texts = texts.reset_index(drop=True)
    languages = sorted(texts["language"].unique())
    scopes = ([(ALL_LANGUAGES, texts.index.to_numpy())] if across_languages else
              [(lang, texts.index[texts["language"] == lang].to_numpy()) for lang in languages])
    records, group_of, lost = [], np.zeros(len(texts), dtype=object), []
    with threadpool_limits(1):  # one thread: k-means' threads only wait for each other on a busy server
        for scope, index in scopes:
            if not len(index):
                continue
            found, assignment, missing = _cluster_scope(texts.iloc[index].reset_index(drop=True), scope,
                                                        [c for c in curated if c.scope == scope], n_groups, seed)
            lost += missing
            keys = []
            for number, record in enumerate(found, start=1):
                key = f"{scope}-{record['curated_id']}" if record["curated_id"] else f"{scope}:{number}"
                keys.append(key)
                records.append({"key": key, "scope": scope, **record})
            group_of[index] = [keys[a] for a in assignment]
    groups = pd.DataFrame(records, columns=GROUP_COLUMNS)
    for column in ("name", "curated_id"):  # None where not curated, never NaN (a NaN name would be truthy)
        groups[column] = groups[column].astype(object).where(groups[column].notna(), None)
    if len(groups):
        groups = groups.sort_values(["texts", "key"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return Mining(groups=groups, texts=texts.assign(group=group_of), across_languages=across_languages, lost=lost)


def mined(*, session: Session, flt: ProgressFilter = EVERYTHING, across_languages: bool = False) -> Mining:
    """The corpus under the filter, mined with the Secretariat's curation: what the page and the API show."""
    return mine(corpus(session=session, flt=flt), curated=curated_groups(session=session),
                across_languages=across_languages)


def ranking(result: Mining, by: str) -> pd.DataFrame:
    """(group, <by>, texts, reports): how much each group weighs per year, theme or region (by: "year", "themes"
    or "regions"; a text on two themes counts under each), most texts first within each value."""
    column = {"year": "year", "theme": "themes", "themes": "themes", "region": "regions", "regions": "regions"}[by]
    frame = result.texts
    if frame.empty:
        return pd.DataFrame(columns=["group", column, "texts", "reports"])
    if column != "year":
        frame = frame.explode(column).dropna(subset=[column])
    counted = (frame.groupby(["group", column])
               .agg(texts=("text", "size"), reports=("report_id", lambda ids: len(set(zip(
                   frame.loc[ids.index, "kind"], ids))))).reset_index())
    return counted.sort_values([column, "texts", "group"], ascending=[True, False, True]).reset_index(drop=True)


# -- near-duplicate Resolutions ------------------------------------------------------------------------------
def near_duplicates(*, session: Session, threshold: float = DUPLICATE_THRESHOLD,
                    congress: str | None = None) -> pd.DataFrame:
    """(code, title, older_code, older_title, similarity): Resolutions whose title, summary and operative
    paragraphs are very similar (TF-IDF cosine >= threshold) to those of an older Resolution (an earlier
    Congress, or the same Congress with a lower number). congress: only pairs whose newer Resolution is of it.
    Most similar first."""
    rows = session.exec(select(Resolution.id, Resolution.code, Resolution.title, Resolution.summary, Congress.year,
                               Resolution.number, Congress.code)
                        .join(Congress, Congress.id == Resolution.congress_id).order_by(Resolution.id)).all()
    columns = ["code", "title", "older_code", "older_title", "similarity"]
    if len(rows) < 2:
        return pd.DataFrame(columns=columns)
    paragraphs: dict[int, list[str]] = {}
    paragraph_model = getattr(models, "OperativeParagraph", None)  # issue 18 part 1
    if paragraph_model is not None:
        for rid, text in session.exec(select(paragraph_model.resolution_id, paragraph_model.text)
                                      .order_by(paragraph_model.resolution_id, paragraph_model.position)):
            paragraphs.setdefault(rid, []).append(text)
    documents = [" ".join([title, summary or "", *paragraphs.get(rid, [])]) for rid, _c, title, summary, *_ in rows]
    try:
        matrix = _vectoriser().fit_transform(documents)
    except ValueError:
        return pd.DataFrame(columns=columns)
    similarity = (matrix @ matrix.T).tocoo()
    order = {row[0]: (row[4], row[5], row[0]) for row in rows}  # older: earlier Congress, then lower number
    found = []
    for i, j, value in zip(similarity.row, similarity.col, similarity.data):
        if i == j or value < threshold:
            continue
        newer, older = rows[i], rows[j]
        if order[newer[0]] <= order[older[0]] or (congress and newer[6] != congress):
            continue
        found.append((newer[1], newer[2], older[1], older[2], round(float(value), 3)))
    frame = pd.DataFrame(found, columns=columns)
    # Each Resolution with its most similar older one first; every older match is listed.
    return frame.sort_values(["similarity", "code", "older_code"], ascending=[False, True, True]).reset_index(
        drop=True)
