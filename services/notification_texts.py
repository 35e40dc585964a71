"""The words of notifications and digests, in each interface language (db/vocab.LANGUAGES), chosen by the
recipient's language; English is the fallback. Issue 14 moves them to gettext catalogues later.

Templates use str.format placeholders. The values put in are plain text (a report title, a comment, a name):
the mail's plain part shows them as they are, its HTML part escapes them (services/notifications.py), and the
app shows them Markdown-escaped, so no user text is ever read as markup.
"""

from db.vocab import LANGUAGES

FALLBACK = "en"

# kind -> language -> (title, body). Placeholders: by (who acted), title (the Activity Report's), code, year,
# comment (the reviewer's, as typed).
EVENTS: dict[str, dict[str, tuple[str, str]]] = {
    "activity_returned": {
        "en": ("Your Activity Report was returned: {title}",
               "{by} returned your Activity Report “{title}” with this comment:\n\n{comment}\n\n"
               "Correct it and submit it again."),
        "fr": ("Votre rapport d’activité a été renvoyé : {title}",
               "{by} vous a renvoyé votre rapport d’activité « {title} » avec ce "
               "commentaire :\n\n{comment}\n\nCorrigez-le et soumettez-le à nouveau."),
        "es": ("Su informe de actividad fue devuelto: {title}",
               "{by} le devolvió su informe de actividad «{title}» con este comentario:\n\n"
               "{comment}\n\nCorríjalo y envíelo de nuevo."),
    },
    "activity_cited": {
        "en": ("Your Activity Report is cited in the Progress Report on {code}",
               "The Progress Report on {code} for {year}, now published, draws on your Activity Report "
               "“{title}”."),
        "fr": ("Votre rapport d’activité est cité dans le rapport d’avancement sur {code}",
               "Le rapport d’avancement sur {code} pour {year}, désormais publié, s’appuie sur "
               "votre rapport d’activité « {title} »."),
        "es": ("Su informe de actividad se cita en el informe de progreso sobre {code}",
               "El informe de progreso sobre {code} de {year}, ya publicado, se basa en su informe de "
               "actividad «{title}»."),
    },
    "progress_returned": {
        "en": ("The Progress Report on {code} ({year}) was returned",
               "{by} returned the Progress Report on {code} for {year} to draft with this comment:\n\n"
               "{comment}\n\nUpdate it and send it for review again."),
        "fr": ("Le rapport d’avancement sur {code} ({year}) a été renvoyé",
               "{by} a renvoyé en brouillon le rapport d’avancement sur {code} pour {year} avec ce "
               "commentaire :\n\n{comment}\n\nMettez-le à jour et soumettez-le à nouveau pour examen."),
        "es": ("El informe de progreso sobre {code} ({year}) fue devuelto",
               "{by} devolvió a borrador el informe de progreso sobre {code} de {year} con este "
               "comentario:\n\n{comment}\n\nActualícelo y envíelo de nuevo a revisión."),
    },
    "progress_published": {
        "en": ("The Progress Report on {code} ({year}) is published",
               "{by} published the Progress Report on {code} for {year}. Everyone can now read it."),
        "fr": ("Le rapport d’avancement sur {code} ({year}) est publié",
               "{by} a publié le rapport d’avancement sur {code} pour {year}. Tout le monde peut "
               "désormais le lire."),
        "es": ("El informe de progreso sobre {code} ({year}) está publicado",
               "{by} publicó el informe de progreso sobre {code} de {year}. Ya todos pueden leerlo."),
    },
    "progress_in_review": {
        "en": ("A Progress Report entered review: {code} ({year})",
               "{by} sent the Progress Report on {code} for {year} for review."),
        "fr": ("Un rapport d’avancement attend l’examen : {code} ({year})",
               "{by} a soumis pour examen le rapport d’avancement sur {code} pour {year}."),
        "es": ("Un informe de progreso espera revisión: {code} ({year})",
               "{by} envió a revisión el informe de progreso sobre {code} de {year}."),
    },
}

# The frame of every mail and the digests' headings. Placeholders: name (the recipient), n (a count), start and
# end (dates), year, due (a date), days.
WORDS: dict[str, dict[str, str]] = {
    "hello": {"en": "Hello {name},", "fr": "Bonjour {name},", "es": "Hola, {name}:"},
    "open": {"en": "Open it: {link}", "fr": "Ouvrir : {link}", "es": "Abrir: {link}"},
    "open_label": {"en": "Open it", "fr": "Ouvrir", "es": "Abrir"},
    "daily_subject": {"en": "Your daily digest: {n} notification(s)",
                      "fr": "Votre résumé du jour : {n} notification(s)",
                      "es": "Su resumen diario: {n} notificación(es)"},
    "daily_intro": {"en": "What happened since your last digest:",
                    "fr": "Ce qui s’est passé depuis votre dernier résumé :",
                    "es": "Lo que pasó desde su último resumen:"},
    "weekly_subject": {"en": "Weekly digest, {start} to {end}", "fr": "Résumé de la semaine, du {start} au {end}",
                       "es": "Resumen semanal, del {start} al {end}"},
    "weekly_arrived": {"en": "What arrived from {start} to {end}:", "fr": "Ce qui est arrivé du {start} au {end} :",
                       "es": "Lo que llegó del {start} al {end}:"},
    "activity_submitted": {"en": "Activity Reports submitted: {n}", "fr": "Rapports d’activité soumis : {n}",
                           "es": "Informes de actividad enviados: {n}"},
    "entered_review": {"en": "Progress Reports entering review: {n}",
                       "fr": "Rapports d’avancement soumis pour examen : {n}",
                       "es": "Informes de progreso enviados a revisión: {n}"},
    "published": {"en": "Progress Reports published: {n}", "fr": "Rapports d’avancement publiés : {n}",
                  "es": "Informes de progreso publicados: {n}"},
    "review_queue": {"en": "Review queue: {link}", "fr": "File d’examen : {link}",
                     "es": "Cola de revisión: {link}"},
    "overdue_heading": {"en": "Progress Reports for {year} overdue since {due} ({days} days), by focal point:",
                        "fr": "Rapports d’avancement {year} en retard depuis le {due} ({days} jours), par "
                              "point focal :",
                        "es": "Informes de progreso de {year} atrasados desde el {due} ({days} días), por "
                              "punto focal:"},
    "missing_heading": {"en": "Progress Reports for {year} still missing (due {due}), by focal point:",
                        "fr": "Rapports d’avancement {year} encore manquants (échéance le {due}), "
                              "par point focal :",
                        "es": "Informes de progreso de {year} aún pendientes (plazo: {due}), por punto focal:"},
    "no_deadline": {"en": "No deadline is set for {year}.", "fr": "Aucune échéance n’est fixée pour {year}.",
                    "es": "No hay plazo fijado para {year}."},
    "nothing_owed": {"en": "Nothing is missing.", "fr": "Rien ne manque.", "es": "No falta nada."},
    "components_heading": {"en": "Components that reported on a Resolution in {last} but not yet in {year}:",
                           "fr": "Composantes ayant rendu compte d’une Résolution en {last} mais pas "
                                 "encore en {year} :",
                           "es": "Componentes que informaron sobre una Resolución en {last} pero aún no "
                                 "en {year}:"},
    "no_focal_point": {"en": "No focal point", "fr": "Aucun point focal", "es": "Sin punto focal"},
    "coverage": {"en": "Coverage: {link}", "fr": "Couverture : {link}", "es": "Cobertura: {link}"},
    "overview": {"en": "Overview: {link}", "fr": "Vue d’ensemble : {link}", "es": "Resumen: {link}"},
    "stop_kind": {"en": "Stop mails of this kind ({kind}):", "fr": "Ne plus recevoir ces courriels ({kind}) :",
                  "es": "Dejar de recibir estos correos ({kind}):"},
}

# The kinds of event, named in a sentence (the unsubscribe links of a digest holding several).
KIND_NAMES: dict[str, dict[str, str]] = {
    "activity_returned": {"en": "Activity Report returned", "fr": "rapport d’activité renvoyé",
                          "es": "informe de actividad devuelto"},
    "activity_cited": {"en": "Activity Report cited", "fr": "rapport d’activité cité",
                       "es": "informe de actividad citado"},
    "progress_returned": {"en": "Progress Report returned", "fr": "rapport d’avancement renvoyé",
                          "es": "informe de progreso devuelto"},
    "progress_published": {"en": "Progress Report published", "fr": "rapport d’avancement publié",
                           "es": "informe de progreso publicado"},
    "progress_in_review": {"en": "Progress Report in review", "fr": "rapport d’avancement à examiner",
                           "es": "informe de progreso en revisión"},
}
assert all(set(t) == set(LANGUAGES) for t in (*EVENTS.values(), *WORDS.values(), *KIND_NAMES.values()))
assert set(KIND_NAMES) == set(EVENTS)


def language_of(code: str | None) -> str:
    return code if code in LANGUAGES else FALLBACK


def event(kind: str, language: str | None, **values: object) -> tuple[str, str]:
    """The (title, body) of an event's notification, in `language` (English when unknown)."""
    title, body = EVENTS[kind][language_of(language)]
    return title.format(**values), body.format(**values)


def word(key: str, language: str | None, **values: object) -> str:
    return WORDS[key][language_of(language)].format(**values)


def kind_name(kind: str, language: str | None) -> str:
    return KIND_NAMES[kind][language_of(language)]
