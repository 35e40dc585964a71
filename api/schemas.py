"""The shapes of the open-data API's answers: its OpenAPI document, and what FastAPI checks every answer
against. The values come from services/public.py, the one place that says what the public may see."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    field: str = Field(description="The query parameter (or path part) at fault.")
    message: str


class Error(BaseModel):
    status: int = Field(description="The HTTP status code, repeated.")
    error: str = Field(description="What kind of error: bad_request, not_found, too_many_requests, ...")
    message: str
    fields: list[FieldProblem] = []
    error_id: str | None = Field(None, description="For an unexpected error: the id of its log line.")


class Congress(BaseModel):
    code: str = Field(description="The code prefix of its Resolutions, e.g. WCC-2020.")
    kind: str
    session: int
    extraordinary: bool
    city: str
    country: str
    year: int = Field(description="The year in the Congress' name (Marseille 2020 met in 2021).")
    start_date: date | None
    end_date: date | None
    resolutions: int = Field(description="Resolutions and Recommendations the register holds for it.")


class CongressRef(BaseModel):
    code: str
    kind: str
    session: int
    city: str
    country: str
    year: int
    start_date: date | None
    end_date: date | None


class ResolutionRow(BaseModel):
    code: str
    title: str
    kind: str = Field(description="Resolution or Recommendation.")
    congress: str
    year: int = Field(description="The Congress' year.")
    themes: list[str]
    status: str = Field(description="Lifecycle: active or archived.")
    latest_status: str | None = Field(description="Implementation status of its latest published Progress Report.")
    latest_year: int | None = Field(description="The year of that report.")


class Page(BaseModel):
    total: int = Field(description="Rows matching the filters, over all pages.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last page.")


class ResolutionPage(Page):
    items: list[ResolutionRow]


class PublishedReport(BaseModel):
    """The published version of a Progress Report (its latest revision)."""

    year: int
    status: str = Field(description="Implementation status: Not started, Initiated, Underway, On-going, Completed.")
    revision: int = Field(description="1 for the first publication; a correction is published as the next one.")
    published_at: datetime
    summary: str
    results: str
    challenges: str
    solutions: str = Field(description="Solutions and next steps.")
    challenge_categories: list[str]
    components: list[str] = Field(description="The IUCN components involved.")


class ProgressReportRow(PublishedReport):
    resolution: str = Field(description="The Resolution's code.")
    resolution_title: str
    congress: str


class ProgressReportPage(Page):
    items: list[ProgressReportRow]


class ActivityReport(BaseModel):
    """An Activity Report its component chose to publish."""

    id: int
    title: str
    component: str
    component_kind: str
    action_status: str | None
    action_types: list[str]
    period_start: date | None
    period_end: date | None
    description: str
    results: str
    submitted_at: datetime | None
    resolutions: list[str] = Field(description="The codes of the Resolutions it reports on.")


class YearStatus(BaseModel):
    year: int
    status: str


class Paragraph(BaseModel):
    number: str = Field(description="As the Resolution numbers it: 1, 4b.")
    addressee: str = Field(description="Whom it addresses (Director General, Members, States...); may be empty.")
    text: str
    activity_reports: int = Field(description="How many of the Activity Reports shown publicly address it.")
    status_timeline: list[YearStatus] = Field(description="Its status in the published Progress Reports, oldest "
                                                          "year first, where the focal point gave one.")


class ResolutionDetail(BaseModel):
    code: str
    number: int
    kind: str
    title: str
    congress: CongressRef
    themes: list[str]
    targets: list[str] = Field([], description="The codes of the global goals and targets it is tagged with "
                                               "(see /v1/targets).")
    status: str = Field(description="Lifecycle: active or archived.")
    archived_on: date | None
    summary: str | None
    text_url: str | None = Field(description="The official text (an http(s) address), when known.")
    progress_reports: list[PublishedReport] = Field(description="Published Progress Reports, newest year first.")
    status_timeline: list[YearStatus] = Field(description="The published status of each year, oldest first.")
    activity_reports: list[ActivityReport]
    paragraphs: list[Paragraph] = Field([], description="Its operative paragraphs, in order.")


class GoalTarget(BaseModel):
    code: str = Field(description="e.g. KMGBF-T3, SDG-14, SDG-14.a, N2030-OCEANS: what the target filters take.")
    framework: str = Field(description="KMGBF (Kunming-Montreal Global Biodiversity Framework), SDG (Sustainable "
                                       "Development Goals) or NATURE2030 (IUCN Programme Nature 2030).")
    level: str = Field(description="goal, target or area (a Nature 2030 programme area).")
    parent: str | None = Field(description="An SDG target's goal (SDG-14 for SDG-14.a).")
    number: str | None = Field(description="As the framework numbers it: 3, 14.a, A.")
    name: str = Field(description="The official English short name (an SDG target: its official text).")
    name_fr: str | None
    name_es: str | None


class StatusCount(BaseModel):
    status: str
    count: int
    share: float = Field(description="Of the Resolutions in force, from 0 to 1.")


class StatusStats(BaseModel):
    congress: str | None = Field(description="The Congress counted (the latest when none was asked for).")
    year: int = Field(description="The reporting year counted (the latest with data when none was asked for).")
    total: int = Field(description="Resolutions of the Congress in force that year.")
    statuses: list[StatusCount]


class ChallengeQuote(BaseModel):
    kind: Literal["progress", "activity"] = Field(description="A published Progress Report or a public Activity "
                                                              "Report.")
    report_id: int
    field: str = Field(description="challenges, solutions or support_needed.")
    codes: list[str] = Field(description="The Resolution(s) the report is on.")
    year: int = Field(description="The reporting year (an Activity Report: the year it was received).")
    language: str
    text: str = Field(description="As written (at most 400 characters).")


class ChallengeGroup(BaseModel):
    name: str | None = Field(description="The Secretariat's name for the group, if it gave one.")
    terms: list[str] = Field(description="Its characteristic words.")
    language: str = Field(description="The language of its texts, or 'all' when grouped across languages.")
    texts: int
    reports: int
    pinned: bool
    quotes: list[ChallengeQuote] = Field(description="Its most typical texts, with their reports.")


class ChallengeStats(BaseModel):
    congress: str | None
    year: int | None
    region: str | None
    theme: str | None
    language: str | None
    across_languages: bool
    texts: int = Field(description="Texts mined under the filters.")
    groups: list[ChallengeGroup] = Field(description="The largest groups first.")


class Download(BaseModel):
    name: str
    table: str | None = Field(description="The table it holds; null for the README and the zip of every file.")
    format: str
    media_type: str
    bytes: int
    url: str


class DownloadList(BaseModel):
    data_version: int = Field(description="Changes whenever the data do; the files are rebuilt then.")
    licence: str
    items: list[Download]
