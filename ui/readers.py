"""Cached reads of the register for pages (ui.cached: keyed on the data version and the arguments)."""

from services import register
from ui.cached import cached

congresses = cached(register.congress_options, max_entries=64)
theme_names = cached(register.theme_names, max_entries=64)
resolutions = cached(register.search_resolutions)
resolution_detail = cached(register.resolution_detail)
