"""The fields of Activity Reports and Progress Reports, each declared once (how: services/form_fields.py).

Adding a field to a report: its column in db/models.py, an Alembic migration, one `Field` here, and a test.
The service's input, checks, reading, writing and audit, and the page's widget key, label and limit follow.
Order matters: it is the order of the input dataclass, of audit snapshots and of the page's free texts.
"""

import locales
from db import vocab
from db.countries import COUNTRIES
from db.models import (
    ActivityReportActionType,
    ActivityReportParagraph,
    ActivityReportResolution,
    ProgressReportComponent,
    ProgressReportSource,
    Resolution,
)
from locales import N_
from services.form_fields import Field, Kind, Link

# The language the report is written in (issue 14): empty on a new form, the service then records the author's
# interface language; never carried, since the next report may be written in another one.
LANGUAGE = Field(
    "language",
    Kind.CHOICE,
    N_("Language of the report"),
    options=vocab.LANGUAGES,
    carried=False,
    invalid=N_("Choose English, French or Spanish."),
    brief=N_("language"),
    fallback=locales.current,
    help=N_("The language you write in. Reports are never machine-translated: readers see your words."),
)

ACTIVITY = (
    Field(
        "component_id",
        Kind.REF,
        N_("Reporting for"),
        needed=N_("Choose the component you report for."),
        draft=True,
        key="component",
        help=N_("You belong to several components: choose the one this report is from."),
    ),
    Field(
        "resolution_ids",
        Kind.REFS,
        N_("Resolutions concerned"),
        needed=N_("Choose at least one Resolution."),
        draft=True,
        key="resolutions",
        help=N_("The latest Congress comes first. Archived Resolutions are not listed."),
        placeholder=N_("Choose one or more (type a code such as WCC-2020-Res-001)"),
        link=Link(
            ActivityReportResolution,
            "activity_report_id",
            "resolution_id",
            label=Resolution.code,
            audited_as="resolutions",
        ),
    ),
    # Which operative paragraphs of its Resolutions it answers (issue 18): optional; each must be a paragraph of
    # one of the report's Resolutions (services/activity_reports.py checks it).
    Field(
        "paragraph_ids",
        Kind.REFS,
        N_("Operative paragraphs addressed"),
        key="paragraphs",
        brief=N_("paragraphs"),
        invalid=N_("Choose paragraphs of the Resolutions chosen above."),
        help=N_("Optional: the paragraphs of the chosen Resolutions this activity answers, such as 4b."),
        placeholder=N_("Choose paragraphs (optional)"),
        link=Link(ActivityReportParagraph, "activity_report_id", "paragraph_id"),
    ),
    Field(
        "title",
        Kind.LINE,
        N_("Title"),
        limit=200,
        needed=N_("Give the activity a title."),
        draft=True,
        noun=N_("The title"),
        placeholder=N_("e.g. Training reef managers in the Coral Triangle"),
        help=N_("A short name for the activity."),
    ),
    Field(
        "description",
        Kind.TEXT,
        N_("Description"),
        limit=4000,
        needed=N_("Describe what was done."),
        noun=N_("The description"),
        placeholder=N_("What was done, by whom, for whom."),
    ),
    Field(
        "action_types",
        Kind.CHOICES,
        N_("Action types"),
        options=vocab.ACTION_TYPES,
        ordered=True,
        needed=N_("Choose at least one action type."),
        invalid=N_("Choose action types from the list."),
        placeholder=N_("Choose one or more"),
        link=Link(ActivityReportActionType, "activity_report_id", "action_type"),
    ),
    Field(
        "action_status",
        Kind.CHOICE,
        N_("Action status"),
        options=vocab.ACTION_STATUSES,
        needed=N_("Choose the action status."),
        invalid=N_("Choose an action status from the list."),
    ),
    Field("period_start", Kind.DATE, N_("Start date"), needed=N_("Give the start date."), key="start", carried=False),
    Field(
        "period_end",
        Kind.DATE,
        N_("End date"),
        key="end",
        carried=False,
        help=N_("Needed when the action is completed; leave empty if not known."),
    ),
    # Where: 'Global', or regions, or countries (the service's rule); their errors are shown together.
    Field("scope_global", Kind.FLAG, N_("Global (worldwide)"), key="global"),
    Field(
        "scope_regions",
        Kind.CHOICES,
        N_("IUCN regions"),
        options=vocab.IUCN_REGIONS,
        shown_on="scope",
        key="regions",
        invalid=N_("Choose regions from the list of IUCN statutory regions."),
        placeholder=N_("Choose regions"),
    ),
    Field(
        "scope_countries",
        Kind.CHOICES,
        N_("Countries"),
        options=COUNTRIES,
        shown_on="scope",
        key="countries",
        invalid=N_("Choose countries from the list."),
        placeholder=N_("Choose countries"),
    ),
    Field("partners", Kind.TEXT, N_("Partners"), limit=1000, placeholder=N_("Organisations you worked with")),
    Field(
        "results",
        Kind.TEXT,
        N_("Results"),
        limit=3000,
        placeholder=N_("What changed, with figures where you have them"),
    ),
    Field("challenges", Kind.TEXT, N_("Challenges"), limit=2000, placeholder=N_("What slowed the work down")),
    Field(
        "support_needed",
        Kind.TEXT,
        N_("Support needed"),
        limit=1500,
        key="support",
        placeholder=N_("What IUCN could do to help"),
    ),
    Field(
        "links",
        Kind.LINKS,
        N_("Links"),
        limit=20,
        item_limit=500,
        placeholder=N_("https://…  (one per line)"),
        help=N_("Web pages, publications or photos: one address per line"),
    ),
    # The component's consent to the public site (issue 16): off unless ticked, asked anew for each new report.
    Field(
        "shown_publicly",
        Kind.FLAG,
        N_("May be shown publicly"),
        key="public",
        carried=False,
        brief=N_("public choice"),
        help=N_(
            "Ticked, anyone, without signing in, can read this report on the public pages of its Resolutions "
            "once it is submitted: its title, component, action, period, description and results, never "
            "your name. Left off, only signed-in IUCN users see it."
        ),
    ),
    LANGUAGE,
)

PROGRESS = (
    # A draft may leave it empty (the focal point decides last); submitting needs it (and so does the
    # database once the report leaves draft: ck_progress_report_status_stated).
    Field(
        "status",
        Kind.CHOICE,
        N_("Implementation status"),
        options=vocab.IMPLEMENTATION_STATUSES,
        needed=N_("Choose an implementation status before you submit."),
        help=N_("A draft can be saved without it; choose one before you submit."),
        invalid=N_("Choose an implementation status from the scale."),
        brief=N_("status"),
    ),
    Field(
        "summary",
        Kind.TEXT,
        N_("Summary of progress"),
        limit=5000,
        needed=N_("Summarise the progress made this year."),
        noun=N_("The summary"),
        brief=N_("summary"),
        placeholder=N_("What happened this year to implement the Resolution, in a few sentences."),
    ),
    Field(
        "results",
        Kind.TEXT,
        N_("Results"),
        limit=5000,
        placeholder=N_("What changed: outputs, outcomes, numbers where you have them."),
    ),
    Field("challenges", Kind.TEXT, N_("Challenges"), limit=4000),
    Field(
        "challenge_categories",
        Kind.CHOICES,
        N_("Challenge categories"),
        options=vocab.CHALLENGE_CATEGORIES,
        ordered=True,
        invalid=N_("Choose challenge categories from the list."),
        key="categories",
        help=N_("The kinds of obstacle met, so the yearly analysis can compare Resolutions."),
    ),
    Field("solutions", Kind.TEXT, N_("Solutions and next steps"), limit=4000),
    # Which Activity Reports it draws on, and which components took part: this year's, never carried over.
    Field(
        "source_ids",
        Kind.REFS,
        N_("Activity Reports cited"),
        brief=N_("sources"),
        carried=False,
        link=Link(ProgressReportSource, "progress_report_id", "activity_report_id"),
    ),
    Field(
        "component_ids",
        Kind.REFS,
        N_("Components involved"),
        brief=N_("components"),
        key="components",
        carried=False,
        help=N_("Filled in from the Activity Reports you tick; add or remove as needed."),
        link=Link(ProgressReportComponent, "progress_report_id", "component_id"),
    ),
    LANGUAGE,
)
