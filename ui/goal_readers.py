"""Cached reads of the global-goals crosswalk for pages (issue 18; ui.cached: keyed on the data version,
the language and the arguments)."""

from db.scopes import REGISTER
from services import goal_tags
from ui.cached import cached

goal_targets = cached(goal_tags.goal_targets, max_entries=16, scopes=(REGISTER,))
target_labels = cached(goal_tags.target_labels, max_entries=16, scopes=(REGISTER,))
targets_of = cached(goal_tags.targets_of, scopes=(REGISTER,))
