"""Cached reads for the Reminders page (ui.cached: keyed on the data version and the arguments)."""

from services import reminder_rules, reminders
from ui.cached import cached

rules = cached(reminder_rules.list_rules, max_entries=16)
recent = cached(reminders.recent, max_entries=16)
due_today = cached(reminders.due_today, max_entries=16)  # `today` is an argument: never yesterday's answer
