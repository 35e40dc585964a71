"""The bulk downloads of the open data: the whole published data set (services/public.py says what that
is) as one CSV and one JSON file per table, a README of the columns and the licence (RT_OPEN_DATA_LICENCE),
and a zip of them all.

CSV goes through THE export writer (services/tabular.csv_bytes: formula cells neutralised, UTF-8 with BOM);
a list (themes, components, ...) is one cell of values joined by "; ". JSON is a list of records, lists kept
as lists. The files are built for one data version (services/audit.data_version) and rebuilt when it changes
(OpenDataCache), so a download always matches the API's answers of the moment.
"""

import io
import json
import threading
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlmodel import Session

from services import audit, public
from services.tabular import DATE, DATETIME, INTEGER, TEXT, Column, Table, csv_bytes

LIST_SEPARATOR = "; "
ZIP_NAME = "open-data.zip"
README_NAME = "README.md"


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    columns: tuple[tuple[str, str, str], ...]  # (column, kind, meaning)


TABLES = (
    TableSpec("congresses", "Congresses and General Assemblies", (
        ("code", TEXT, "code prefix of its Resolutions, e.g. WCC-2020"),
        ("kind", TEXT, "General Assembly or World Conservation Congress"),
        ("session", INTEGER, "session number"),
        ("extraordinary", TEXT, "true for an extraordinary session"),
        ("city", TEXT, "where it met"),
        ("country", TEXT, "where it met"),
        ("year", INTEGER, "the year in its name (Marseille 2020 met in 2021)"),
        ("start_date", DATE, "first day (ISO date), when known"),
        ("end_date", DATE, "last day (ISO date), when known"),
        ("resolutions", INTEGER, "Resolutions and Recommendations the register holds for it"),
    )),
    TableSpec("resolutions", "The Resolution register", (
        ("code", TEXT, "unique code, e.g. WCC-2020-Res-122"),
        ("number", INTEGER, "its number at its Congress"),
        ("kind", TEXT, "Resolution (addressed to IUCN) or Recommendation (addressed to third parties)"),
        ("title", TEXT, "title"),
        ("congress", TEXT, "code of the Congress that adopted it (congresses.code)"),
        ("status", TEXT, "lifecycle: active or archived"),
        ("archived_on", DATE, "when it was archived (ISO date), if it was"),
        ("summary", TEXT, "a short summary, when the register has one"),
        ("text_url", TEXT, "address of the official text, when known"),
    )),
    TableSpec("resolution_themes", "The themes of each Resolution", (
        ("resolution", TEXT, "resolutions.code"),
        ("theme", TEXT, "theme name"),
        ("framework", TEXT, "the classification the theme belongs to"),
    )),
    TableSpec("resolution_targets", "The global goals and targets each Resolution is tagged with", (
        ("resolution", TEXT, "resolutions.code"),
        ("target", TEXT, "code of the goal or target: KMGBF-T3, SDG-14, SDG-14.5, N2030-OCEANS"),
        ("framework", TEXT, "KMGBF, SDG or NATURE2030"),
        ("name", TEXT, "its official English short name (an SDG target: its text)"),
    )),
    TableSpec("progress_reports", "Published Progress Reports (each its latest published version)", (
        ("resolution", TEXT, "resolutions.code"),
        ("congress", TEXT, "congresses.code"),
        ("year", INTEGER, "the reporting year"),
        ("status", TEXT, "implementation status: Not started, Initiated, Underway, On-going, Completed"),
        ("revision", INTEGER, "1 for the first publication; a correction is published as the next revision"),
        ("published_at", DATETIME, "when this version was published (UTC)"),
        ("summary", TEXT, "summary of progress"),
        ("results", TEXT, "results"),
        ("challenges", TEXT, "challenges met"),
        ("solutions", TEXT, "solutions and next steps"),
        ("challenge_categories", TEXT, "kinds of challenge named (a list)"),
        ("components", TEXT, "IUCN components involved (a list)"),
    )),
    TableSpec("activity_reports", "Activity Reports their component chose to publish", (
        ("id", INTEGER, "the report's number"),
        ("title", TEXT, "title"),
        ("component", TEXT, "the IUCN component that reported"),
        ("component_kind", TEXT, "Member, Commission, Secretariat, National Committee, ..."),
        ("action_status", TEXT, "Planned, On-going or Completed"),
        ("action_types", TEXT, "kinds of action (a list)"),
        ("period_start", DATE, "start of the activity (ISO date)"),
        ("period_end", DATE, "end of the activity (ISO date), when known"),
        ("description", TEXT, "what was done"),
        ("results", TEXT, "results"),
        ("submitted_at", DATETIME, "when it was submitted (UTC)"),
        ("resolutions", TEXT, "codes of the Resolutions it reports on (a list)"),
    )),
)
TABLE_NAMES = tuple(t.name for t in TABLES)
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "md": "text/markdown; charset=utf-8",
               "zip": "application/zip"}


@dataclass(frozen=True)
class Bundle:
    """Every file of one data version: name -> bytes (resolutions.csv, resolutions.json, ..., README.md, the
    zip)."""

    data_version: int
    licence: str
    generated_at: datetime
    files: dict[str, bytes]

    def table_of(self, name: str) -> str | None:
        stem = name.rsplit(".", 1)[0]
        return stem if stem in TABLE_NAMES else None


def _records(session: Session) -> dict[str, list[dict]]:
    """Each table's records, with exactly the columns its README section lists, in that order."""
    read = {
        "congresses": public.congresses,
        "resolutions": public.all_resolutions,
        "resolution_themes": public.resolution_themes,
        "resolution_targets": public.resolution_targets,
        "progress_reports": public.all_published_reports,
        "activity_reports": public.public_activity_reports,
    }
    return {spec.name: [{key: row.get(key) for key, _, _ in spec.columns} for row in read[spec.name](session)]
            for spec in TABLES}


def _csv(spec: TableSpec, records: list[dict]) -> bytes:
    def cell(value):
        if isinstance(value, list):
            return LIST_SEPARATOR.join(str(v) for v in value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return value

    keys = [key for key, _, _ in spec.columns]
    frame = pd.DataFrame([[cell(r.get(k)) for k in keys] for r in records], columns=keys, dtype=object)
    return csv_bytes(Table(spec.name, frame, tuple(Column(k, k, kind) for k, kind, _ in spec.columns)))


def _readme(*, licence: str, version: int, generated_at: datetime, counts: dict[str, int]) -> bytes:
    lines = [
        "# IUCN Resolutions Tracker: open data",
        "",
        f"Licence: {licence}. Generated {generated_at.isoformat(timespec='seconds')} (data version {version}).",
        "",
        "What is here is what the public site shows: the Resolution register, the published version of each "
        "Progress Report (never a draft or a report in review) and the Activity Reports their component chose "
        "to publish. No names or e-mail addresses of people.",
        "",
        "Each table comes as CSV (UTF-8 with a byte order mark, comma-separated, a header row; a list is one "
        f"cell of values joined by \"{LIST_SEPARATOR}\"; a cell starting with = + - or @ has an apostrophe put "
        "in front, so spreadsheets do not run it) and as JSON (a list of records; lists stay lists). Dates are "
        "ISO 8601, times UTC.",
        "",
    ]
    for spec in TABLES:
        lines += [f"## {spec.name}.csv / {spec.name}.json: {spec.title} ({counts[spec.name]} rows)", "",
                  "| column | kind | meaning |", "|---|---|---|"]
        lines += [f"| {key} | {kind} | {meaning} |" for key, kind, meaning in spec.columns]
        lines.append("")
    return "\n".join(lines).encode("utf-8")


def build(session: Session, *, licence: str) -> Bundle:
    """Every file, from one read of the published data set."""
    version = audit.data_version(session)
    generated_at = datetime.now(UTC)
    records = _records(session)
    files: dict[str, bytes] = {}
    for spec in TABLES:
        rows = records[spec.name]
        files[f"{spec.name}.csv"] = _csv(spec, rows)
        files[f"{spec.name}.json"] = json.dumps(public.as_json(rows), ensure_ascii=False, indent=1).encode("utf-8")
    files[README_NAME] = _readme(licence=licence, version=version, generated_at=generated_at,
                                 counts={name: len(rows) for name, rows in records.items()})
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    files[ZIP_NAME] = archive.getvalue()
    return Bundle(version, licence, generated_at, files)


class OpenDataCache:
    """The bundle of the current data version, built once per version (and licence): the first request after
    a write rebuilds it, the others reuse it. Thread-safe (the API answers in worker threads)."""

    def __init__(self) -> None:
        self._bundle: Bundle | None = None
        self._lock = threading.Lock()

    def get(self, session: Session, *, licence: str) -> Bundle:
        version = audit.data_version(session)
        with self._lock:
            bundle = self._bundle
            if bundle is None or bundle.data_version != version or bundle.licence != licence:
                bundle = self._bundle = build(session, licence=licence)
            return bundle
