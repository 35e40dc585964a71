"""Version 1 of the open-data API: read-only JSON over what services/public.py lets the public see.

Each endpoint is a plain function (FastAPI runs it in a worker thread, so a slow query never blocks the
server) that opens one read session, asks services/public.py or services/open_data.py, and returns the
answer in the shape of api/schemas.py. Bad filters are 400, unknown codes 404 (api/app.py turns the
services' errors into JSON).
"""

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from api import schemas
from db import vocab
from services import open_data, public, report_themes
from services.errors import NotFound

router = APIRouter(prefix="/v1")

ERRORS = {400: {"model": schemas.Error, "description": "A bad filter or parameter."},
          429: {"model": schemas.Error, "description": "Too many requests from this address: see Retry-After."},
          500: {"model": schemas.Error, "description": "An unexpected error (logged with its error_id)."}}
NOT_FOUND = {404: {"model": schemas.Error, "description": "No such code or file."}}
YEAR = {"ge": 1900, "le": 2200}  # any reporting year; bounded so no database is asked about 2**70
MAX_OFFSET = 1_000_000
# The vocabularies as enums in the OpenAPI document (db/vocab.py stays their one source).
Kind = Literal[vocab.RESOLUTION_KINDS]
ResolutionStatus = Literal[public.RESOLUTION_STATUS_FILTERS]
ImplementationStatus = Literal[vocab.IMPLEMENTATION_STATUSES]
GoalFramework = Literal[vocab.GOAL_FRAMEWORKS]
Targets = Annotated[list[str] | None, Query(description="Global goal or target code(s), e.g. KMGBF-T3 or SDG-14 "
                                                        "(a goal takes its targets); repeat for several; the "
                                                        "codes: /v1/targets.")]


def read_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine_factory()) as session:
        yield session


SessionDep = Annotated[Session, Depends(read_session)]
Congresses = Annotated[list[str] | None, Query(description="Congress code(s), e.g. WCC-2020; repeat for several.")]
Limit = Annotated[int, Query(ge=1, le=public.MAX_LIMIT, description=f"Rows per page, at most {public.MAX_LIMIT}.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip (see next_offset).")]


def _page(total: int, limit: int, offset: int, items: list) -> dict:
    return {"total": total, "limit": limit, "offset": offset,
            "next_offset": offset + limit if offset + limit < total else None, "items": items}


@router.get("/congresses", response_model=list[schemas.Congress], responses=ERRORS,
            summary="Every Congress and General Assembly, newest first")
def congresses(session: SessionDep):
    return public.congresses(session)


@router.get("/resolutions", response_model=schemas.ResolutionPage, responses=ERRORS,
            summary="The Resolution register, filtered and paginated")
def resolutions(
    session: SessionDep,
    congress: Congresses = None,
    kind: Annotated[list[Kind] | None, Query(description="Resolution or Recommendation.")] = None,
    status: Annotated[list[ResolutionStatus] | None, Query(
        description="Lifecycle (active, archived) or the implementation status of the latest published "
                    f"Progress Report ({', '.join(vocab.IMPLEMENTATION_STATUSES)}, {vocab.NEVER_PUBLISHED}); "
                    "a lifecycle and an implementation status given together must both hold.")] = None,
    theme: Annotated[list[str] | None, Query(description="Theme name(s), e.g. Oceans.")] = None,
    target: Targets = None,
    q: Annotated[str | None, Query(max_length=200, description="Words to find in the code or title.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    total, rows = public.resolutions(session, congress=congress, kind=kind, status=status, theme=theme,
                                     target=target, q=q, limit=limit, offset=offset)
    return _page(total, limit, offset, rows)


@router.get("/resolutions/{code}", response_model=schemas.ResolutionDetail, responses=ERRORS | NOT_FOUND,
            summary="One Resolution with its published Progress Reports")
def resolution(session: SessionDep, code: Annotated[str, Path(max_length=64, description="e.g. WCC-2020-Res-001")]):
    found = public.resolution(session, code)
    if found is None:
        raise NotFound(f"No Resolution with code {code!r}.")
    timeline = [{"year": year, "status": status} for year, status in found["status_timeline"].items()]
    paragraphs = [{"number": p["number"], "addressee": p["addressee"], "text": p["text"],
                   "activity_reports": len(p["activities"]),
                   "status_timeline": [{"year": y, "status": s} for y, s in sorted(p["statuses"].items())]}
                  for p in found["paragraphs"]]
    return found | {"status_timeline": timeline, "paragraphs": paragraphs}


@router.get("/progress-reports", response_model=schemas.ProgressReportPage, responses=ERRORS,
            summary="Published Progress Reports, filtered and paginated")
def progress_reports(
    session: SessionDep,
    congress: Congresses = None,
    year: Annotated[int | None, Query(**YEAR, description="The reporting year.")] = None,
    status: Annotated[list[ImplementationStatus] | None, Query(
        description=f"Implementation status: {', '.join(vocab.IMPLEMENTATION_STATUSES)}.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    total, rows = public.progress_reports(session, congress=congress, year=year, status=status, limit=limit,
                                          offset=offset)
    return _page(total, limit, offset, rows)


@router.get("/stats/status", response_model=schemas.StatusStats, responses=ERRORS,
            summary="How many Resolutions are at each status: the public Overview's figures")
def status_stats(
    session: SessionDep,
    congress: Annotated[str | None, Query(max_length=16, description="The latest Congress when not given.")] = None,
    year: Annotated[int | None, Query(**YEAR, description="The latest year with data when not given.")] = None,
    target: Targets = None,
):
    return public.status_figures(session, congress=congress, year=year, target=target)


@router.get("/targets", response_model=list[schemas.GoalTarget], responses=ERRORS,
            summary="The global goals and targets Resolutions are tagged with: KMGBF, SDGs, Nature 2030")
def targets(
    session: SessionDep,
    framework: Annotated[GoalFramework | None, Query(description="One framework only.")] = None,
):
    return public.goal_targets(session, framework=framework)


@router.get("/stats/challenges", response_model=schemas.ChallengeStats, responses=ERRORS,
            summary="What slowed implementation, in the reporters' words: their texts grouped into themes")
def challenge_stats(
    session: SessionDep,
    congress: Annotated[str | None, Query(max_length=16, description="Congress code; every Congress when not "
                                                                     "given.")] = None,
    year: Annotated[int | None, Query(**YEAR, description="The reporting year; every year when not given.")] = None,
    region: Annotated[str | None, Query(max_length=60, description="IUCN region of the reporting components.")] = None,
    theme: Annotated[str | None, Query(max_length=80, description="Theme name, e.g. Oceans.")] = None,
    language: Annotated[Literal[vocab.LANGUAGES] | None, Query(description="Language of the reports.")] = None,
    across_languages: Annotated[bool, Query(description="Group all languages together (default: per "
                                                        "language).")] = False,
):
    """Grouped from public data only: published Progress Reports' challenges and solutions, and the challenges
    and support needed of the Activity Reports their components chose to show publicly (TF-IDF and k-means,
    analytics/report_themes.py)."""
    return report_themes.public_groups(session, congress=congress, year=year, region=region, theme=theme,
                                       language=language, across_languages=across_languages)


def _bundle(request: Request, session: Session) -> open_data.Bundle:
    return request.app.state.open_data.get(session, licence=request.app.state.licence)


@router.get("/downloads", response_model=schemas.DownloadList, responses=ERRORS,
            summary="The bulk downloads: every published table as CSV and JSON, a README, one zip")
def downloads(request: Request, session: SessionDep):
    bundle = _bundle(request, session)
    items = [{"name": name, "table": bundle.table_of(name), "format": name.rsplit(".", 1)[1],
              "media_type": open_data.MEDIA_TYPES[name.rsplit(".", 1)[1]], "bytes": len(data),
              "url": str(request.url_for("download", name=name).path)}
             for name, data in bundle.files.items()]
    return {"data_version": bundle.data_version, "licence": bundle.licence, "items": items}


@router.get("/downloads/{name}", name="download", responses=ERRORS | NOT_FOUND | {200: {
    "description": "The file.", "content": {"text/csv": {}, "application/json": {}, "text/markdown": {},
                                            "application/zip": {}}}},
    response_class=Response, summary="One download file (see /v1/downloads for the names)")
def download(request: Request, session: SessionDep, name: Annotated[str, Path(max_length=64)]):
    bundle = _bundle(request, session)
    data = bundle.files.get(name)
    if data is None:
        raise NotFound(f"No download named {name!r}; the list is at /api/v1/downloads.")
    media_type = open_data.MEDIA_TYPES[name.rsplit(".", 1)[1]]
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
