"""Every controlled vocabulary of the product, in one place.

Order matters: scales are listed from the first stage to the last, and charts use this order.
"""

CONGRESS_KINDS = ("General Assembly", "World Conservation Congress")
RESOLUTION_KINDS = ("Resolution", "Recommendation")
RESOLUTION_KIND_CODES = {"Resolution": "Res", "Recommendation": "Rec"}
RESOLUTION_STATUSES = ("active", "archived")

# The implementation status scale of Progress Reports, with the wording used on IUCN reports.
IMPLEMENTATION_STATUSES = ("Not started", "Initiated", "Underway", "On-going", "Completed")
IMPLEMENTATION_STATUS_HELP = {
    "Not started": "no implementation yet",
    "Initiated": "first stages of implementation",
    "Underway": "implementation well advanced",
    "On-going": "implementation consisting of repetitive, recurrent action (meetings, reporting)",
    "Completed": "the main actions are done",
}
# The reporting state of a Resolution in a year (the rule: db/counting.reporting_state), from done to not
# started; the same codes and labels on the Overview, Coverage, the Resolution page, the yearly analysis and
# its exports, and the guide.
REPORTING_STATES = ("published", "nothing_to_report", "in_preparation", "none")
REPORTING_STATE_LABELS = {
    "published": "Published",  # a version of the year's Progress Report was published
    "nothing_to_report": "Nothing to report",  # the focal point said so for the year: an answer (issue 15)
    "in_preparation": "In preparation",  # a Progress Report exists, not published yet: draft, returned or in review
    "none": "No Progress Report",  # nobody has started one
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
NEVER_PUBLISHED = "Not published yet"
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
    "Capacity-building",
    "Convene stakeholders/Networking",
    "Education/Communication/Raising awareness",
    "Field activities",
    "Fundraising",
    "Policy influencing/advocacy",
    "Scientific/technical activities",
)
ACTION_STATUSES = ("Planned", "On-going", "Completed")

COMPONENT_KINDS = (
    "Member",
    "Commission",
    "Secretariat",
    "National Committee",
    "Regional Committee",
    "Council",
    "Other",
)

# IUCN statutory regions (IUCN Statutes, Article 16).
IUCN_REGIONS = (
    "Africa",
    "Meso and South America",
    "North America and the Caribbean",
    "South and East Asia",
    "West Asia",
    "Oceania",
    "West Europe",
    "East Europe, North and Central Asia",
)

ACTIVITY_REPORT_STATES = ("draft", "submitted", "returned")
PROGRESS_REPORT_STATES = ("draft", "in_review", "published")
PROGRESS_REPORT_STATE_LABELS = {"draft": "Draft", "in_review": "In review", "published": "Published"}
ANALYSIS_STATES = ("draft", "published")

# Kinds of obstacle named in Progress Reports, so the yearly analysis can rank them.
CHALLENGE_CATEGORIES = (
    "Funding",
    "Staff capacity",
    "Political will",
    "Data and knowledge gaps",
    "Coordination between components",
    "Legal and policy framework",
    "Conflicting economic interests",
    "Security and access",
    "Pandemic disruption",
)

ROLES = ("reporter", "focal_point", "secretariat", "leadership", "admin")
ROLE_LABELS = {
    "reporter": "Component focal point",
    "focal_point": "Secretariat focal point",
    "secretariat": "Secretariat",
    "leadership": "Leadership",
    "admin": "Administrator",
}

# Interface languages (English first: the default and the fallback).
LANGUAGES = ("en", "fr", "es")
LANGUAGE_LABELS = {"en": "English", "fr": "Français", "es": "Español"}

# Mail a user may choose to receive (My account), each with its label and its default delivery;
# weekly_digest is off by default except for those who may receive it (services/permissions "digest.weekly").
MAIL_KINDS = ("reminders", "activity_returned", "activity_cited", "progress_returned", "progress_published",
              "progress_in_review", "weekly_digest")
MAIL_KIND_LABELS = {
    "reminders": "Reminders of reporting deadlines",
    "activity_returned": "My Activity Report was returned",
    "activity_cited": "My Activity Report was cited by a published Progress Report",
    "progress_returned": "My Progress Report was returned",
    "progress_published": "My Progress Report was published",
    "progress_in_review": "A Progress Report entered review",
    "weekly_digest": "Weekly digest",
}
MAIL_DELIVERIES = ("off", "immediate", "digest")
MAIL_DELIVERY_LABELS = {"off": "Off", "immediate": "Immediately", "digest": "In a daily digest"}
MAIL_KIND_DEFAULTS = {kind: "immediate" for kind in MAIL_KINDS} | {"weekly_digest": "off"}
# The events a user is told of, in the app (the bell) and by mail as chosen: the mail kinds of an event
# (services/notifications.py).
NOTIFICATION_KINDS = ("activity_returned", "activity_cited", "progress_returned", "progress_published",
                      "progress_in_review")
DIGESTS = ("daily", "weekly")  # services/digests.py: each sent once per user and period

# Who a reminder rule reminds (services/reminders.py).
REMINDER_AUDIENCES = ("focal_points", "components")
REMINDER_AUDIENCE_LABELS = {
    "focal_points": "Focal points whose Progress Report for the year is not yet in review or published",
    "components": "Components that reported on a Resolution last year but not this year",
}
# The placeholders a reminder's subject and body may use.
REMINDER_PLACEHOLDERS = ("name", "year", "deadline", "days", "resolutions", "link")

SIGN_IN_METHODS = ("password", "sso")
TOKEN_PURPOSES = ("activate", "reset")
ACCESS_REQUEST_STATES = ("pending", "approved", "declined")
