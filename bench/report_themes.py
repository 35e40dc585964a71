"""Time the mining of the reports' texts (analytics/report_themes.py) on generated texts.

    .venv/bin/python -m bench.report_themes                  # 100,000 texts, per language and across languages
    .venv/bin/python -m bench.report_themes --texts 20000
    .venv/bin/python -m bench.report_themes --url sqlite:////tmp/bench_100k.db   # also: the corpus of a database
                                                                                 # built by bench/generate.py

The texts are drawn (fixed seed) from eight kinds of obstacle in English, French and Spanish (60/25/15 %), each a
sentence built from the kind's own words and words every report uses, so the groups to find are known: the
bench prints how many texts of each kind land in the kind's largest group (purity). Prints a table; asserts
nothing.
"""

import argparse
import os
import random
import time

import pandas as pd

from analytics import report_themes as rt

KINDS = {
    "funding": {"en": "funding budget donors grant money financial resources cut",
                "fr": "financement budget bailleurs subvention fonds ressources financières",
                "es": "financiación presupuesto donantes subvención fondos recursos financieros"},
    "staff": {"en": "staff capacity personnel turnover recruit team workload",
              "fr": "personnel capacité effectifs rotation recruter équipe charge",
              "es": "personal capacidad plantilla rotación contratar equipo carga"},
    "politics": {"en": "political government priority elections ministers commitment will",
                 "fr": "politique gouvernement priorité élections ministres engagement volonté",
                 "es": "política gobierno prioridad elecciones ministros compromiso voluntad"},
    "data": {"en": "data baseline monitoring indicators information gaps survey",
             "fr": "données référence suivi indicateurs information lacunes enquête",
             "es": "datos línea base seguimiento indicadores información vacíos encuesta"},
    "coordination": {"en": "coordination components exchange parallel partners meetings dialogue",
                     "fr": "coordination composantes échanges parallèle partenaires réunions dialogue",
                     "es": "coordinación componentes intercambio paralelo socios reuniones diálogo"},
    "law": {"en": "legal law legislation framework policy regulations enforcement",
            "fr": "juridique loi législation cadre politique réglementation application",
            "es": "jurídico ley legislación marco normativa reglamentos aplicación"},
    "security": {"en": "security insecurity access conflict sites safety unrest",
                 "fr": "sécurité insécurité accès conflit sites sûreté troubles",
                 "es": "seguridad inseguridad acceso conflicto sitios protección disturbios"},
    "climate": {"en": "drought floods wildfires storms climate weather season",
                "fr": "sécheresse inondations incendies tempêtes climat météo saison",
                "es": "sequía inundaciones incendios tormentas clima tiempo temporada"},
}
COMMON = {"en": "project field country region local national slowed delayed limited progress",
          "fr": "projet terrain pays région local national ralenti retardé limité progrès",
          "es": "proyecto campo país región local nacional retrasado demorado limitado progreso"}
LANGUAGE_SHARE = (("en", 0.60), ("fr", 0.25), ("es", 0.15))


def generate(n: int, seed: int = 1) -> tuple[pd.DataFrame, list[str]]:
    rng = random.Random(seed)
    kinds = list(KINDS)
    languages, weights = zip(*LANGUAGE_SHARE)
    rows, truth = [], []
    for number in range(n):
        kind, language = rng.choice(kinds), rng.choices(languages, weights)[0]
        own, common = KINDS[kind][language].split(), COMMON[language].split()
        words = rng.sample(own, rng.randint(2, 4)) + rng.sample(common, rng.randint(2, 5))
        rng.shuffle(words)
        rows.append(("activity", number + 1, "challenges", " ".join(words).capitalize() + ".",
                     (f"WCC-2020-Res-{1 + number % 137:03d}",), 2021 + number % 5, (), (), language))
        truth.append(kind)
    return pd.DataFrame(rows, columns=rt.CORPUS_COLUMNS), truth


def purity(result: rt.Mining, truth: list[str]) -> float:
    """The share of texts that are in the largest group of their kind (per language)."""
    placed = result.texts.assign(kind=truth)
    right = 0
    for _key, rows in placed.groupby(["language", "kind"]):
        right += rows["group"].value_counts().iloc[0]
    return right / len(placed)


def timed(label: str, work):
    start, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(f"  {label:<34} {time.perf_counter() - start:8.2f} s  cpu {time.process_time() - cpu:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--url", help="also time the corpus query and the mining on this database")
    args = parser.parse_args()
    print(f"report themes: {args.texts:,} generated texts; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")
    texts, truth = timed("generate", lambda: generate(args.texts))
    for across in (False, True):
        result = timed(f"mine ({'across languages' if across else 'per language'})",
                       lambda across=across: rt.mine(texts, across_languages=across))
        print(f"    {len(result.groups)} groups; purity {purity(result, truth):.1%}; largest: "
              + "; ".join(", ".join(g) for g in result.groups["terms"].head(3).map(lambda t: t[:4])))
    if args.url:
        from sqlmodel import Session

        from db.engine import make_engine

        with Session(make_engine(args.url)) as session:
            corpus = timed("corpus query", lambda: rt.corpus(session=session))
            print(f"    {len(corpus):,} texts")
            timed("mine the corpus", lambda: rt.mine(corpus))
    print(f"  load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
