"""Every controlled vocabulary of the product, in one place.

Order matters: scales are listed from the first stage to the last, and charts use this order.

Issue 14: the stored values stay English (or codes); every label a user reads is marked with N_ so
`python -m locales.build` extracts it, and is translated where it is shown: _(label). Colours and order stay
keyed on the stored value.
"""

from locales import N_

CONGRESS_KINDS = (N_("General Assembly"), N_("World Conservation Congress"))
RESOLUTION_KINDS = (N_("Resolution"), N_("Recommendation"))
RESOLUTION_KIND_CODES = {"Resolution": "Res", "Recommendation": "Rec"}
RESOLUTION_STATUSES = ("active", "archived")
RESOLUTION_STATUS_LABELS = {"active": N_("Active"), "archived": N_("Archived")}

# The implementation status scale of Progress Reports, with the wording used on IUCN reports.
IMPLEMENTATION_STATUSES = (N_("Not started"), N_("Initiated"), N_("Underway"), N_("On-going"), N_("Completed"))
IMPLEMENTATION_STATUS_HELP = {
    "Not started": N_("no implementation yet"),
    "Initiated": N_("first stages of implementation"),
    "Underway": N_("implementation well advanced"),
    "On-going": N_("implementation consisting of repetitive, recurrent action (meetings, reporting)"),
    "Completed": N_("the main actions are done"),
}
# The reporting state of a Resolution in a year (the rule: db/counting.reporting_state), from done to not
# started; the same codes and labels on the Overview, Coverage, the Resolution page, the yearly analysis and
# its exports, and the guide.
REPORTING_STATES = ("published", "nothing_to_report", "in_preparation", "none")
REPORTING_STATE_LABELS = {
    "published": N_("Published"),  # a version of the year's Progress Report was published
    "nothing_to_report": N_("Nothing to report"),  # the focal point said so for the year: an answer (issue 15)
    "in_preparation": N_("In preparation"),  # a Progress Report exists, not published yet: draft, returned or in review
    "none": N_("No Progress Report"),  # nobody has started one
}
PUBLISHED, IN_PREPARATION, NO_PROGRESS_REPORT = (REPORTING_STATE_LABELS[s] for s in
                                                 ("published", "in_preparation", "none"))
NOTHING_TO_REPORT = REPORTING_STATE_LABELS["nothing_to_report"]
ANSWERED_STATES = ("published", "nothing_to_report")  # covered: nobody owes anything more for the year
REPORTING_STATE_COLOURS = {"published": "#2f6f9f", "nothing_to_report": "#7fb3a6", "in_preparation": "#d4c4e6",
                           "none": "#c9ced6"}

# A Resolution's status in a year (db/counting.status_in_year): its published implementation status, or,
# without a published Progress Report, its reporting state. Charts draw this scale, unpublished first.
UNPUBLISHED = (NO_PROGRESS_REPORT, IN_PREPARATION)
# A Resolution's latest published status (over all years), where nothing was ever published.
NEVER_PUBLISHED = N_("Not published yet")
STATUS_SCALE = (*UNPUBLISHED, *IMPLEMENTATION_STATUSES)
STATUS_COLOURS = {
    NO_PROGRESS_REPORT: REPORTING_STATE_COLOURS["none"],
    IN_PREPARATION: REPORTING_STATE_COLOURS["in_preparation"],
    "Not started": "#d9534f",
    "Initiated": "#f0ad4e",
    "Underway": "#8cc152",
    "On-going": "#3b9ab2",
    "Completed": "#1b5e20",
}

ACTION_TYPES = (
    N_("Capacity-building"),
    N_("Convene stakeholders/Networking"),
    N_("Education/Communication/Raising awareness"),
    N_("Field activities"),
    N_("Fundraising"),
    N_("Policy influencing/advocacy"),
    N_("Scientific/technical activities"),
)
ACTION_STATUSES = (N_("Planned"), N_("On-going"), N_("Completed"))

# Whom an operative paragraph usually addresses (issue 18): offered on the Resolution page; any other
# addressee is accepted as written.
PARAGRAPH_ADDRESSEES = (
    N_("Director General"),
    N_("Council"),
    N_("Commissions"),
    N_("Members"),
    N_("States"),
    N_("Government agencies"),
    N_("Third parties"),
)

COMPONENT_KINDS = (
    N_("Member"),
    N_("Commission"),
    N_("Secretariat"),
    N_("National Committee"),
    N_("Regional Committee"),
    N_("Council"),
    N_("Other"),
)

# IUCN statutory regions (IUCN Statutes, Article 16).
IUCN_REGIONS = (
    N_("Africa"),
    N_("Meso and South America"),
    N_("North America and the Caribbean"),
    N_("South and East Asia"),
    N_("West Asia"),
    N_("Oceania"),
    N_("West Europe"),
    N_("East Europe, North and Central Asia"),
)

# The themes of db/reference/themes.csv (stored by these English names in table theme, kept so in filters, URLs,
# the register file and the open-data API): marked here so each is shown translated, _(name), wherever a theme
# is shown. A theme added to the CSV needs its line here (tests/i18n/test_themes.py checks).
THEME_NAMES = (
    N_("People"), N_("Land"), N_("Water"), N_("Oceans"), N_("Climate"),  # IUCN's Nature 2030 areas
    N_("IUCN governance"), N_("Rights and equity"), N_("Species conservation"), N_("Protected and conserved areas"),
    N_("Forests"), N_("Freshwater and wetlands"), N_("Marine and coastal ecosystems"), N_("Fisheries"),
    N_("Nature-based solutions"),
)
# The theme classifications (themes.csv's framework column)
THEME_FRAMEWORKS = (N_("Nature 2030"), N_("Topic"))

ACTIVITY_REPORT_STATES = ("draft", "submitted", "returned")
ACTIVITY_REPORT_STATE_LABELS = {"draft": N_("Draft"), "submitted": N_("Submitted"), "returned": N_("Returned")}
PROGRESS_REPORT_STATES = ("draft", "in_review", "published")
PROGRESS_REPORT_STATE_LABELS = {"draft": N_("Draft"), "in_review": N_("In review"), "published": N_("Published")}
ANALYSIS_STATES = ("draft", "published")
ANALYSIS_STATE_LABELS = {"draft": N_("Draft"), "published": N_("Published")}

# Kinds of obstacle named in Progress Reports, so the yearly analysis can rank them.
CHALLENGE_CATEGORIES = (
    N_("Funding"),
    N_("Staff capacity"),
    N_("Political will"),
    N_("Data and knowledge gaps"),
    N_("Coordination between components"),
    N_("Legal and policy framework"),
    N_("Conflicting economic interests"),
    N_("Security and access"),
    N_("Pandemic disruption"),
)

ROLES = ("reporter", "focal_point", "secretariat", "leadership", "admin")
ROLE_LABELS = {
    "reporter": N_("Component focal point"),
    "focal_point": N_("Secretariat focal point"),
    "secretariat": N_("Secretariat"),
    "leadership": N_("Leadership"),
    "admin": N_("Administrator"),
}

# Interface languages (English first: the default and the fallback).
LANGUAGES = ("en", "fr", "es")
LANGUAGE_LABELS = {"en": "English", "fr": "Français", "es": "Español"}  # each in itself: not translated

# Mail a user may choose to receive (My account), each with its label and its default delivery;
# weekly_digest is off by default except for those who may receive it (services/permissions "digest.weekly").
MAIL_KINDS = ("reminders", "activity_returned", "activity_cited", "progress_returned", "progress_published",
              "progress_in_review", "weekly_digest")
MAIL_KIND_LABELS = {
    "reminders": N_("Reminders of reporting deadlines"),
    "activity_returned": N_("My Activity Report was returned"),
    "activity_cited": N_("My Activity Report was cited by a published Progress Report"),
    "progress_returned": N_("My Progress Report was returned"),
    "progress_published": N_("My Progress Report was published"),
    "progress_in_review": N_("A Progress Report entered review"),
    "weekly_digest": N_("Weekly digest"),
}
MAIL_DELIVERIES = ("off", "immediate", "digest")
MAIL_DELIVERY_LABELS = {"off": N_("Off"), "immediate": N_("Immediately"), "digest": N_("In a daily digest")}
MAIL_KIND_DEFAULTS = {kind: "immediate" for kind in MAIL_KINDS} | {"weekly_digest": "off"}
# The events a user is told of, in the app (the bell) and by mail as chosen: the mail kinds of an event
# (services/notifications.py).
NOTIFICATION_KINDS = ("activity_returned", "activity_cited", "progress_returned", "progress_published",
                      "progress_in_review")
DIGESTS = ("daily", "weekly")  # services/digests.py: each sent once per user and period

# Who a reminder rule reminds (services/reminders.py).
REMINDER_AUDIENCES = ("focal_points", "components")
REMINDER_AUDIENCE_LABELS = {
    "focal_points": N_("Focal points whose Progress Report for the year is not yet in review or published"),
    "components": N_("Components that reported on a Resolution last year but not this year"),
}
# The placeholders a reminder's subject and body may use.
REMINDER_PLACEHOLDERS = ("name", "year", "deadline", "days", "resolutions", "link")

SIGN_IN_METHODS = ("password", "sso")
TOKEN_PURPOSES = ("activate", "reset")
ACCESS_REQUEST_STATES = ("pending", "approved", "declined")
ACCESS_REQUEST_STATE_LABELS = {"pending": N_("Pending"), "approved": N_("Approved"), "declined": N_("Declined")}

# The global goals a Resolution can be tagged with (issue 18; the list: db/reference/global_goals.csv).
GOAL_FRAMEWORKS = ("KMGBF", "SDG", "NATURE2030")
GOAL_FRAMEWORK_LABELS = {
    "KMGBF": N_("Kunming-Montreal Global Biodiversity Framework"),
    "SDG": N_("Sustainable Development Goals"),
    "NATURE2030": N_("IUCN Programme Nature 2030"),
}
GOAL_LEVELS = ("goal", "target", "area")
