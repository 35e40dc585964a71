"""Cached reads of the page "What the reports say" (ui.cached: keyed on the data version of the reports and
the register, and on the arguments), so the clustering runs once per filter and data version, not on every
Streamlit rerun. The curation's writes have no scope of their own (db/scopes.py), so they renew every read."""

from analytics import report_themes
from db.scopes import ACTIVITY, PROGRESS, REGISTER
from locales import N_
from services import report_themes as themes_service
from ui.cached import cached

SCOPES = (REGISTER, ACTIVITY, PROGRESS)

groups = cached(themes_service.read_groups, max_entries=32, scopes=SCOPES, spinner=N_("Grouping the texts…"))
near_duplicates = cached(themes_service.near_duplicates, max_entries=16, scopes=SCOPES,
                         spinner=N_("Comparing the Resolutions…"))
filter_choices = cached(report_themes.filter_choices, max_entries=4, scopes=SCOPES)
