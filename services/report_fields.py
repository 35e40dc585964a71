"""The fields of Activity Reports and Progress Reports, each declared once (how: services/form_fields.py).

Adding a field to a report: its column in db/models.py, an Alembic migration, one `Field` here, and a test.
The service's input, checks, reading, writing and audit, and the page's widget key, label and limit follow.
Order matters: it is the order of the input dataclass, of audit snapshots and of the page's free texts.
"""

from db import vocab
from db.countries import COUNTRIES
from db.models import (
    ActivityReportActionType,
    ActivityReportResolution,
    ProgressReportComponent,
    ProgressReportSource,
    Resolution,
)
from services.form_fields import Field, Kind, Link

ACTIVITY = (
    Field("component_id", Kind.REF, "Reporting for", needed="Choose the component you report for.", draft=True,
          key="component", help="You belong to several components: choose the one this report is from."),
    Field("resolution_ids", Kind.REFS, "Resolutions concerned", needed="Choose at least one Resolution.", draft=True,
          key="resolutions", help="The latest Congress comes first. Archived Resolutions are not listed.",
          placeholder="Choose one or more (type a code such as WCC-2020-Res-001)",
          link=Link(ActivityReportResolution, "activity_report_id", "resolution_id", label=Resolution.code,
                    audited_as="resolutions")),
    Field("title", Kind.LINE, "Title", limit=200, needed="Give the activity a title.", draft=True, noun="The title",
          placeholder="e.g. Training reef managers in the Coral Triangle", help="A short name for the activity."),
    Field("description", Kind.TEXT, "Description", limit=4000, needed="Describe what was done.",
          noun="The description", placeholder="What was done, by whom, for whom."),
    Field("action_types", Kind.CHOICES, "Action types", options=vocab.ACTION_TYPES, ordered=True,
          needed="Choose at least one action type.", invalid="Choose action types from the list.",
          placeholder="Choose one or more",
          link=Link(ActivityReportActionType, "activity_report_id", "action_type")),
    Field("action_status", Kind.CHOICE, "Action status", options=vocab.ACTION_STATUSES,
          needed="Choose the action status.", invalid="Choose an action status from the list."),
    Field("period_start", Kind.DATE, "Start date", needed="Give the start date.", key="start", carried=False),
    Field("period_end", Kind.DATE, "End date", key="end", carried=False,
          help="Needed when the action is completed; leave empty if not known."),
    # Where: 'Global', or regions, or countries (the service's rule); their errors are shown together.
    Field("scope_global", Kind.FLAG, "Global (worldwide)", key="global"),
    Field("scope_regions", Kind.CHOICES, "IUCN regions", options=vocab.IUCN_REGIONS, shown_on="scope", key="regions",
          invalid="Choose regions from the list of IUCN statutory regions.", placeholder="Choose regions"),
    Field("scope_countries", Kind.CHOICES, "Countries", options=COUNTRIES, shown_on="scope", key="countries",
          invalid="Choose countries from the list.", placeholder="Choose countries"),
    Field("partners", Kind.TEXT, "Partners", limit=1000, placeholder="Organisations you worked with"),
    Field("results", Kind.TEXT, "Results", limit=3000, placeholder="What changed, with figures where you have them"),
    Field("challenges", Kind.TEXT, "Challenges", limit=2000, placeholder="What slowed the work down"),
    Field("support_needed", Kind.TEXT, "Support needed", limit=1500, key="support",
          placeholder="What IUCN could do to help"),
    Field("links", Kind.LINKS, "Links", limit=20, item_limit=500, placeholder="https://…  (one per line)",
          help="Web pages, publications or photos: one address per line"),
    # The component's consent to the public site (issue 16): off unless ticked, asked anew for each new report.
    Field("shown_publicly", Kind.FLAG, "May be shown publicly", key="public", carried=False, brief="public choice",
          help="Ticked, anyone, without signing in, can read this report on the public pages of its Resolutions "
               "once it is submitted: its title, component, action, period, description and results, never "
               "your name. Left off, only signed-in IUCN users see it."),
)

PROGRESS = (
    # A draft may leave it empty (the focal point decides last); submitting needs it (and so does the
    # database once the report leaves draft: ck_progress_report_status_stated).
    Field("status", Kind.CHOICE, "Implementation status", options=vocab.IMPLEMENTATION_STATUSES,
          needed="Choose an implementation status before you submit.",
          help="A draft can be saved without it; choose one before you submit.",
          invalid="Choose an implementation status from the scale.", brief="status"),
    Field("summary", Kind.TEXT, "Summary of progress", limit=5000, needed="Summarise the progress made this year.",
          noun="The summary", brief="summary",
          placeholder="What happened this year to implement the Resolution, in a few sentences."),
    Field("results", Kind.TEXT, "Results", limit=5000,
          placeholder="What changed: outputs, outcomes, numbers where you have them."),
    Field("challenges", Kind.TEXT, "Challenges", limit=4000),
    Field("challenge_categories", Kind.CHOICES, "Challenge categories", options=vocab.CHALLENGE_CATEGORIES,
          ordered=True, invalid="Choose challenge categories from the list.", key="categories",
          help="The kinds of obstacle met, so the yearly analysis can compare Resolutions."),
    Field("solutions", Kind.TEXT, "Solutions and next steps", limit=4000),
    # Which Activity Reports it draws on, and which components took part: this year's, never carried over.
    Field("source_ids", Kind.REFS, "Activity Reports cited", brief="sources", carried=False,
          link=Link(ProgressReportSource, "progress_report_id", "activity_report_id")),
    Field("component_ids", Kind.REFS, "Components involved", brief="components", key="components", carried=False,
          help="Filled in from the Activity Reports you tick; add or remove as needed.",
          link=Link(ProgressReportComponent, "progress_report_id", "component_id")),
)
