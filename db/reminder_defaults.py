"""The reminder rules a new installation starts with (the demo data, and `python -m services.reminders
install-defaults` in production): focal points 30 and 7 days before the deadline, on the day and 7 days
after; components 30 and 7 days before. The Secretariat changes them on the Reminders page.

Wording per language (db/vocab.LANGUAGES) with the placeholders of db/vocab.REMINDER_PLACEHOLDERS.
"""

DEFAULT_RULES = (("focal_points", -30), ("focal_points", -7), ("focal_points", 0), ("focal_points", 7),
                 ("components", -30), ("components", -7))

_WHEN = {  # how the subject says when, before / on the day / after
    "before": {"en": "due in {days} days", "fr": "à rendre dans {days} jours", "es": "vencen en {days} días"},
    "day": {"en": "due today", "fr": "à rendre aujourd'hui", "es": "vencen hoy"},
    "after": {"en": "{days} days overdue", "fr": "en retard de {days} jours", "es": "vencieron hace {days} días"},
}
_DEADLINE = {  # how the body says when
    "before": {"en": "are due on {deadline}, in {days} days", "fr": "sont à rendre le {deadline}, dans {days} jours",
               "es": "vencen el {deadline}, dentro de {days} días"},
    "day": {"en": "are due today, {deadline}", "fr": "sont à rendre aujourd'hui, {deadline}",
            "es": "vencen hoy, {deadline}"},
    "after": {"en": "were due on {deadline}, {days} days ago", "fr": "étaient à rendre le {deadline}, il y a {days} "
              "jours", "es": "vencieron el {deadline}, hace {days} días"},
}

_FOCAL = {
    "en": ("Progress Reports {year}: {when}",
           "Dear {name},\n\nThe Progress Reports for {year} {deadline_phrase}. These Resolutions assigned to you have "
           "no Progress Report in review yet:\n\n{resolutions}\n\nWrite or finish them here: {link}\n\nIf there is "
           "nothing to report on a Resolution this year, say so there in one click.\n\nThank you,\n"
           "The IUCN Secretariat"),
    "fr": ("Rapports d'avancement {year} : {when}",
           "Bonjour {name},\n\nLes rapports d'avancement pour {year} {deadline_phrase}. Ces Résolutions qui vous sont "
           "confiées n'ont pas encore de rapport soumis pour examen :\n\n{resolutions}\n\nRédigez-les ou "
           "terminez-les ici : "
           "{link}\n\nS'il n'y a rien à signaler cette année pour une Résolution, indiquez-le en un clic sur cette "
           "page.\n\nMerci,\nLe Secrétariat de l'UICN"),
    "es": ("Informes de progreso {year}: {when}",
           "Estimado/a {name}:\n\nLos informes de progreso de {year} {deadline_phrase}. Estas Resoluciones que tiene "
           "asignadas aún no tienen un informe en revisión:\n\n{resolutions}\n\nRedáctelos o complételos aquí: "
           "{link}\n\nSi este año no hay nada que informar sobre una Resolución, indíquelo allí con un clic.\n\n"
           "Gracias,\nLa Secretaría de la UICN"),
}
_COMPONENT = {
    "en": ("Activity Reports {year}: your input is {when}",
           "Dear {name},\n\nYour component reported on these Resolutions last year and has not reported on them "
           "this year yet:\n\n{resolutions}\n\nThe Progress Reports for {year} {deadline_phrase}. Report your "
           "activities here: {link}\n\nIf there is nothing to report this year, say so on My reports in one "
           "click.\n\nThank you,\nThe IUCN Secretariat"),
    "fr": ("Rapports d'activité {year} : votre contribution est {when}",
           "Bonjour {name},\n\nVotre composante a rendu compte de ces Résolutions l'an dernier, mais pas encore "
           "cette année :\n\n{resolutions}\n\nLes rapports d'avancement pour {year} {deadline_phrase}. Rendez "
           "compte de vos activités ici : {link}\n\nS'il n'y a rien à signaler cette année, indiquez-le en un "
           "clic sur Mes rapports.\n\nMerci,\nLe Secrétariat de l'UICN"),
    "es": ("Informes de actividad {year}: su contribución {when}",
           "Estimado/a {name}:\n\nSu componente informó sobre estas Resoluciones el año pasado y aún no lo ha "
           "hecho este año:\n\n{resolutions}\n\nLos informes de progreso de {year} {deadline_phrase}. Informe de "
           "sus actividades aquí: {link}\n\nSi este año no hay nada que informar, indíquelo con un clic en Mis "
           "informes.\n\nGracias,\nLa Secretaría de la UICN"),
}


def _moment(days: int) -> str:
    return "before" if days < 0 else "day" if days == 0 else "after"


def default_wording(audience: str, days: int) -> dict[str, dict[str, str]]:
    """{language: {"subject": ..., "body": ...}} for a rule of `audience` at `days` from the deadline."""
    moment = _moment(days)
    texts = _FOCAL if audience == "focal_points" else _COMPONENT
    wording = {}
    for language, (subject, body) in texts.items():
        phrase = _WHEN[moment][language]
        if audience == "components":  # "su contribución vence": one contribution, not the reports
            phrase = phrase.replace("vencieron", "venció").replace("vencen", "vence")
        wording[language] = {"subject": subject.replace("{when}", phrase),
                             "body": body.replace("{deadline_phrase}", _DEADLINE[moment][language])}
    return wording
