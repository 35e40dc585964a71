"""A report form's widgets from its field spec (services/report_fields.py): the widget keys, labels and help
texts, and each value as the widget holds it (links: one per line) and as the service takes it."""

from typing import Any

from services.form_fields import LISTS, TEXTS, Field, Kind


def keys(fields: tuple[Field, ...], prefix: str) -> dict[str, str]:
    """Field name -> session-state key of its widget."""
    return {f.name: prefix + f.widget_key for f in fields}


def label(f: Field, *, starred: bool = True) -> str:
    """The widget's label; "*" marks a field needed to submit."""
    return f.label + (" *" if starred and f.needed else "")


def help_text(f: Field) -> str | None:
    """The field's help, with its limit."""
    if f.kind is Kind.LINKS and f.limit:
        return f"{f.help}, at most {f.limit}." if f.help else f"At most {f.limit} links."
    if f.kind in TEXTS and f.limit:
        limit = f"At most {f.limit:,} characters."
        return f"{f.help} {limit}" if f.help else limit
    return f.help


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
