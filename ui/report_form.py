"""A report form's widgets from its field spec (services/report_fields.py): the widget keys, labels and help
texts, and each value as the widget holds it (links: one per line) and as the service takes it."""

from functools import cache
from typing import Any

from babel import Locale

import locales
from locales import _
from services.form_fields import LISTS, TEXTS, Field, Kind


def keys(fields: tuple[Field, ...], prefix: str) -> dict[str, str]:
    """Field name -> session-state key of its widget."""
    return {f.name: prefix + f.widget_key for f in fields}


def label(f: Field, *, starred: bool = True) -> str:
    """The widget's label; "*" marks a field needed to submit."""
    return _(f.label) + (" *" if starred and f.needed else "")


def help_text(f: Field) -> str | None:
    """The field's help, with its limit."""
    if f.kind is Kind.LINKS and f.limit:
        limit = _("At most {n} links.").format(n=f.limit)
        return f"{_(f.help)}. {limit}" if f.help else limit
    if f.kind in TEXTS and f.limit:
        limit = _("At most {n} characters.").format(n=locales.format_number(f.limit))
        return f"{_(f.help)} {limit}" if f.help else limit
    return _(f.help) if f.help else None


def placeholder(f: Field) -> str | None:
    return _(f.placeholder) if f.placeholder else None


def to_widget(f: Field, value: Any) -> Any:
    if f.kind is Kind.LINKS:
        return "\n".join(value or [])
    return list(value or []) if f.kind in LISTS else value


def from_widget(f: Field, value: Any) -> Any:
    if f.kind is Kind.LINKS:
        return (value or "").splitlines()
    if f.kind in LISTS:
        return list(value or [])
    if f.kind is Kind.FLAG:
        return bool(value)
    return (value or "") if f.kind in TEXTS else value


def form_values(fields: tuple[Field, ...], data) -> dict[str, Any]:
    """An input's values by field name, as the widgets hold them."""
    return {f.name: to_widget(f, getattr(data, f.name)) for f in fields}


def input_values(fields: tuple[Field, ...], widgets: dict[str, Any]) -> dict[str, Any]:
    """The widgets' values (by field name; a missing one is empty) as the service's input takes them."""
    return {f.name: from_widget(f, widgets.get(f.name)) for f in fields}


# The English names of db/countries.py that CLDR spells otherwise, with their ISO code.
_COUNTRY_CODES = {"Antigua and Barbuda": "AG", "Bosnia and Herzegovina": "BA", "Brunei Darussalam": "BN",
                  "Cabo Verde": "CV", "Congo": "CG", "Côte d'Ivoire": "CI", "Democratic Republic of the Congo": "CD",
                  "Lao People's Democratic Republic": "LA", "Myanmar": "MM", "Palestine": "PS",
                  "Russian Federation": "RU", "Saint Kitts and Nevis": "KN", "Saint Lucia": "LC",
                  "Saint Vincent and the Grenadines": "VC", "Sao Tome and Principe": "ST",
                  "Trinidad and Tobago": "TT", "United States of America": "US", "Viet Nam": "VN"}


@cache
def _country_codes() -> dict[str, str]:
    return {name: code for code, name in Locale("en").territories.items() if code.isalpha()} | _COUNTRY_CODES


def country_name(name: str) -> str:
    """A country of the scope (stored by its English name) in the current language, from CLDR (Babel)."""
    if locales.current() == locales.DEFAULT:
        return name
    code = _country_codes().get(name)
    return locales.locale().territories.get(code, name) if code else name
