"""The words of notifications and digests: gettext msgids (locales), translated in the recipient's language
(app_user.language) under `locales.use`; English when the language is unknown (issue 14).

Templates use str.format placeholders. The values put in are plain text (a report title, a comment, a name):
the mail's plain part shows them as they are, its HTML part escapes them (services/notifications.py), and the
app shows them Markdown-escaped, so no user text is ever read as markup.
"""

import locales
from locales import N_, _, ngettext

# kind -> (title, body). Placeholders: by (who acted), title (the Activity Report's), code, year,
# comment (the reviewer's, as typed).
EVENTS: dict[str, tuple[str, str]] = {
    "activity_returned": (N_('Your Activity Report was returned: {title}'),
               N_('{by} returned your Activity Report “{title}” with this comment:\n\n{comment}\n\n'
                  'Correct it and submit it again.')),
    "activity_cited": (N_('Your Activity Report is cited in the Progress Report on {code}'),
               N_('The Progress Report on {code} for {year}, now published, draws on your Activity Report “{title}”.')),
    "progress_returned": (N_('The Progress Report on {code} ({year}) was returned'),
               N_('{by} returned the Progress Report on {code} for {year} to draft with this comment:\n\n{comment}\n\n'
                  'Update it and send it for review again.')),
    "progress_published": (N_('The Progress Report on {code} ({year}) is published'),
               N_('{by} published the Progress Report on {code} for {year}. Everyone can now read it.')),
    "progress_in_review": (N_('A Progress Report entered review: {code} ({year})'),
               N_('{by} sent the Progress Report on {code} for {year} for review.')),
}

# The frame of every mail and the digests' headings. Placeholders: name (the recipient), n (a count), start and
# end (dates), year, due (a date), days.
WORDS: dict[str, str] = {
    "hello": N_('Hello {name},'),
    "open": N_('Open it: {link}'),
    "open_label": N_('Open it'),
    "daily_intro": N_('What happened since your last digest:'),
    "weekly_subject": N_('Weekly digest, {start} to {end}'),
    "weekly_arrived": N_('What arrived from {start} to {end}:'),
    "activity_submitted": N_('Activity Reports submitted: {n}'),
    "entered_review": N_('Progress Reports entering review: {n}'),
    "published": N_('Progress Reports published: {n}'),
    "review_queue": N_('Review queue: {link}'),
    "overdue_heading": N_('Progress Reports for {year} overdue since {due} ({days} days), by focal point:'),
    "missing_heading": N_('Progress Reports for {year} still missing (due {due}), by focal point:'),
    "no_deadline": N_('No deadline is set for {year}.'),
    "nothing_owed": N_('Nothing is missing.'),
    "components_heading": N_('Components that reported on a Resolution in {last} but not yet in {year}:'),
    "no_focal_point": N_('No focal point'),
    "coverage": N_('Coverage: {link}'),
    "overview": N_('Overview: {link}'),
    "stop_kind": N_('Stop mails of this kind ({kind}):'),
}

# The kinds of event, named in a sentence (the unsubscribe links of a digest holding several).
KIND_NAMES: dict[str, str] = {
    "activity_returned": N_('Activity Report returned'),
    "activity_cited": N_('Activity Report cited'),
    "progress_returned": N_('Progress Report returned'),
    "progress_published": N_('Progress Report published'),
    "progress_in_review": N_('Progress Report in review'),
}
assert set(KIND_NAMES) == set(EVENTS)


def language_of(code: str | None) -> str:
    return locales.valid(code) or locales.DEFAULT


def event(kind: str, language: str | None, **values: object) -> tuple[str, str]:
    """The (title, body) of an event's notification, in `language` (English when unknown)."""
    title, body = EVENTS[kind]
    with locales.use(language_of(language)):
        return _(title).format(**values), _(body).format(**values)


def word(key: str, language: str | None, **values: object) -> str:
    with locales.use(language_of(language)):
        return _(WORDS[key]).format(**values)


def daily_subject(language: str | None, n: int) -> str:
    with locales.use(language_of(language)):
        return ngettext("Your daily digest: {n} notification", "Your daily digest: {n} notifications", n).format(
            n=locales.format_number(n))


def kind_name(kind: str, language: str | None) -> str:
    with locales.use(language_of(language)):
        return _(KIND_NAMES[kind])
