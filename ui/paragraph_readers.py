"""Cached reads of operative paragraphs for pages (ui.cached: keyed on the data version and the arguments)."""

from services import paragraphs
from ui.cached import cached

paragraphs_of = cached(paragraphs.list_paragraphs, max_entries=64)
options = cached(paragraphs.paragraph_options, max_entries=64)
per_paragraph = cached(paragraphs.paragraph_view, max_entries=64)
unaddressed = cached(paragraphs.unaddressed, max_entries=64)
