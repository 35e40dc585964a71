"""Cached reads for the Activity Report pages (ui.cached: keyed on the data version and the arguments;
the actor is an argument, so one user's reports never answer another's question)."""

from services import activity_reports
from ui.cached import cached

resolution_options = cached(activity_reports.resolution_options, max_entries=64)
reporting_components = cached(activity_reports.reporting_components)
my_reports = cached(activity_reports.my_reports)
report = cached(activity_reports.get_report)  # NotFound when the actor may not see it (never cached)
prefill_from = cached(activity_reports.prefill_from, max_entries=64)
