"""Cached reads for the coverage and guide pages (ui.cached: keyed on the data version and the
arguments; `today` is an argument so the cache never serves yesterday's day count). Coverage itself is
read through services/coverage.py, which checks the reader (pass `actor=`)."""

from analytics import coverage, cycle
from db.scopes import ACCOUNTS, ACTIVITY, ASSIGNMENTS, PROGRESS, REGISTER, REMINDERS
from locales import N_
from services import coverage as coverage_service
from ui.cached import cached

# What one Congress' coverage depends on (ui.cached scopes, issue 13): not sign-ins, the analysis' narrative.
COVERAGE_SCOPES = (REGISTER, ACTIVITY, PROGRESS, ASSIGNMENTS, REMINDERS, ACCOUNTS)

congresses = cached(coverage.congress_choices, max_entries=16)
reporting_years = cached(coverage.reporting_years, max_entries=16)
deadline = cached(coverage.deadline, max_entries=64)
resolution_coverage = cached(coverage_service.resolution_coverage, max_entries=64,
                             spinner=N_("Counting reports…"),
                             scopes=COVERAGE_SCOPES, by_congress=True)
archived_left_out = cached(coverage_service.archived_left_out, max_entries=64, scopes=(REGISTER,), by_congress=True)
components_reporting = cached(coverage_service.components_reporting, max_entries=64, scopes=COVERAGE_SCOPES,
                              by_congress=True)
component_matrix = cached(coverage_service.component_matrix, max_entries=64, scopes=COVERAGE_SCOPES,
                          by_congress=True)
stage_counts = cached(cycle.stage_counts, max_entries=32)
my_work = cached(cycle.my_work, max_entries=64)
upcoming_deadlines = cached(cycle.upcoming_deadlines, max_entries=16)
