"""Cached reads for the Progress Report pages (assignments, My Resolutions, review queue, timeline;
ui.cached: keyed on the data version and the arguments). The editor reads fresh: it needs the current
version number."""

from analytics import timeline
from services import assignments, progress_reports
from ui.cached import cached

my_resolutions = cached(progress_reports.my_resolutions, max_entries=64)
deadlines = cached(assignments.deadlines, max_entries=64)
review_queue = cached(progress_reports.review_queue, max_entries=16)
status_timeline = cached(timeline.status_timeline)
published_reports = cached(progress_reports.published_reports)
focal_point_candidates = cached(assignments.focal_point_candidates, max_entries=16)
assignable_resolutions = cached(assignments.resolution_options, max_entries=16)
focal_points_of = cached(assignments.focal_points_of, max_entries=64)
assignment_overview = cached(assignments.assignment_overview, max_entries=64)
unassigned_counts = cached(assignments.unassigned_counts, max_entries=16)
component_options = cached(progress_reports.component_options, max_entries=64)
