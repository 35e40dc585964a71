"""What a report's fields are, declared once, and everything done the same way for every field.

A report kind (Activity Report, Progress Report) lists its fields in services/report_fields.py as `Field`s:
name, kind, label, limit, whether it is needed to submit or to save a draft. From that one list come the
service's input dataclass (`input_class`), its tidying (`clean`), its per-field checks (`problems`), reading
a row into the input (`read`), writing the input to the row (`write`), the audit snapshot (`stored`,
`audited_links`) and, on the pages, the widget keys and labels. Rules that tie several fields together (a
completed action needs its end date) stay in the service that owns them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, make_dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from sqlmodel import Session, select

from locales import N_, _
from services import text_rules
from services.errors import FieldError
from services.link_rows import sync_links


class Kind(StrEnum):
    LINE = "line"  # one line of text (a title)
    TEXT = "text"  # a multi-line free text
    CHOICE = "choice"  # one value of `options`, or none
    CHOICES = "choices"  # several values of `options`
    DATE = "date"
    FLAG = "flag"  # yes / no
    REF = "ref"  # the id of another row (the service checks it exists and may be used)
    REFS = "refs"  # ids of other rows
    LINKS = "links"  # web addresses, one per line on the form


TEXTS = (Kind.LINE, Kind.TEXT)
LISTS = (Kind.CHOICES, Kind.REFS, Kind.LINKS)
TOO_LONG = N_("Too long: {length} characters, at most {max_len}. Please shorten it.")


@dataclass(frozen=True)
class Link:
    """A many-valued field kept in a link table (one row per report and value) rather than in a column.
    `label`: a column of the table the values point to, to list them in that order and to record them in
    audit events (Resolution codes rather than ids) under the name `audited_as`."""

    table: type
    owner: str  # the link table's column holding the report's id
    column: str  # ... and the one holding the value
    label: Any = None
    audited_as: str | None = None


@dataclass(frozen=True)
class Field:
    name: str  # the input's attribute and, unless `link`, the row's column
    kind: Kind
    label: str  # on the form
    limit: int | None = None  # texts: the most characters; LINKS: the most addresses
    item_limit: int | None = None  # LINKS: the most characters of one address
    needed: str | None = None  # the message when it is left empty where it is needed (None: optional)
    draft: bool = False  # needed to save a draft too, not only to submit
    options: tuple = ()  # CHOICE, CHOICES: the values accepted
    ordered: bool = False  # CHOICES: kept in the order of `options`, whatever the order picked
    invalid: str = N_("Choose from the list.")  # CHOICE, CHOICES: a value outside `options`
    shown_on: str | None = None  # the name its errors are shown under, when several fields share one
    noun: str | None = None  # how messages name it ("The title"); default: the label
    brief: str | None = None  # how "what changed" lists name it; default: the label in lower case
    key: str | None = None  # its widget's key on the page (after the page's prefix); default: the name
    placeholder: str | None = None
    help: str | None = None
    carried: bool = True  # copied when a new report starts from an earlier one
    link: Link | None = None
    fallback: Callable[[], Any] | None = None  # the value recorded when it is left empty (called when saving)

    @property
    def error_key(self) -> str:
        return self.shown_on or self.name

    @property
    def widget_key(self) -> str:
        return self.key or self.name

    @property
    def short(self) -> str:
        return _(self.brief) if self.brief else _(self.label).lower()

    @property
    def multiline(self) -> bool:
        return self.kind is Kind.TEXT


def default(spec: Field) -> Any:
    """The empty value of a field, as a new form holds it."""
    if spec.kind in TEXTS:
        return ""
    if spec.kind is Kind.FLAG:
        return False
    return [] if spec.kind in LISTS else None


_TYPES = {Kind.LINE: str, Kind.TEXT: str, Kind.CHOICE: str | None, Kind.CHOICES: list[str], Kind.DATE: date | None,
          Kind.FLAG: bool, Kind.REF: int | None, Kind.REFS: list[int], Kind.LINKS: list[str]}


def input_class(name: str, fields: tuple[Field, ...], *, module: str, doc: str) -> type:
    """The dataclass a form fills in: one attribute per field, empty by default. `module`: the one that names
    it, so it pickles (cached readers return it)."""
    attributes = [(f.name, _TYPES[f.kind],
                   field(default_factory=list) if f.kind in LISTS else field(default=default(f))) for f in fields]
    cls = make_dataclass(name, attributes)
    cls.__module__, cls.__doc__ = module, doc
    return cls


def fresh_copy(data, fields: tuple[Field, ...]):
    """A new report started from an earlier one: what is `carried`, the rest empty."""
    return replace(data, **{f.name: default(f) for f in fields if not f.carried})


def by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.name: f for f in fields}


def limits(fields: tuple[Field, ...]) -> dict[str, int]:
    """Every limit by field name; a LINKS field's limit for one address under its name without the 's'."""
    out = {f.name: f.limit for f in fields if f.limit is not None}
    out |= {f.name.removesuffix("s"): f.item_limit for f in fields if f.item_limit is not None}
    return out


def _in_order(values: list, options: tuple) -> list:
    """The values listed in the order of `options`, any unknown ones after them as given (refused later)."""
    picked = set(values)
    return [o for o in options if o in picked] + [v for v in dict.fromkeys(values) if v not in options]


def clean(data, fields: tuple[Field, ...]):
    """A copy with texts trimmed, blank addresses dropped and every pick once, so stored values are tidy."""
    changes = {}
    for f in fields:
        value = getattr(data, f.name)
        if f.fallback is not None and _empty(value):
            changes[f.name] = f.fallback()
        elif f.kind in TEXTS:
            changes[f.name] = text_rules.tidy(value, multiline=f.multiline)
        elif f.kind is Kind.LINKS:
            changes[f.name] = [link.strip() for link in value or [] if link and link.strip()]
        elif f.kind in LISTS:
            changes[f.name] = _in_order(list(value or []), f.options) if f.ordered else list(dict.fromkeys(value or []))
    return replace(data, **changes)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def problems(data, fields: tuple[Field, ...], *, full: bool) -> list[FieldError]:
    """Every problem of each field on its own: control characters and length (services.text_rules), a value
    outside its list, malformed web addresses, and emptiness where the field is needed (a draft needs only the
    fields marked `draft`; submitting, `full`, needs every field with a `needed` message)."""
    errors: list[FieldError] = []
    for f in fields:
        value = getattr(data, f.name)
        if f.needed and (full or f.draft) and _empty(value):
            errors.append(FieldError(f.error_key, _(f.needed)))
        elif f.kind in TEXTS:
            text_rules.check_text(value, field=f.name, label=_(f.noun or f.label), max_len=f.limit,
                                  multiline=f.multiline, errors=errors, too_long=_(TOO_LONG))
        elif f.kind is Kind.CHOICE and value is not None and value not in f.options:
            errors.append(FieldError(f.error_key, _(f.invalid)))
        elif f.kind is Kind.CHOICES and set(value) - set(f.options):
            errors.append(FieldError(f.error_key, _(f.invalid)))
        elif f.kind is Kind.LINKS:
            errors += _link_problems(f, value)
    return errors


def draft_rule(fields: tuple[Field, ...], *, filled: tuple[str, ...] = ()) -> str:
    """What saving a draft asks for, from the `needed` messages of the fields marked `draft` (the rule
    `problems` applies), so the form says exactly that: "choose the component you report for, choose at least
    one Resolution and give the activity a title". `filled`: fields the page fills in itself (left out)."""
    asks = [_(f.needed).rstrip(".") for f in fields if f.draft and f.needed and f.name not in filled]
    asks = [a[:1].lower() + a[1:] for a in asks]
    if len(asks) < 2:
        return asks[0] if asks else ""
    return _("{first} and {last}").format(first=", ".join(asks[:-1]), last=asks[-1])


def _link_problems(f: Field, links: list[str]) -> list[FieldError]:
    errors = []
    if f.limit is not None and len(links) > f.limit:
        errors.append(FieldError(f.error_key, _("At most {limit} links, please ({given} given).").format(
            limit=f.limit, given=len(links))))
    for number, link in enumerate(links, start=1):
        if text_rules.has_control(link):
            message = _("Line {number} contains a control character ({characters}): remove it.").format(
                number=number, characters=text_rules.describe(text_rules.control_characters(link)))
        elif not link.lower().startswith(("http://", "https://")) or " " in link or len(link) < 11:
            message = _("Line {number} is not a web address starting with http:// or https://.").format(
                number=number)
        elif f.item_limit is not None and len(link) > f.item_limit:
            message = _("Line {number} is longer than {limit} characters.").format(number=number, limit=f.item_limit)
        else:
            continue
        errors.append(FieldError(f.error_key, message))
    return errors


def _linked(session: Session, row, link: Link, *, labels: bool = False) -> list:
    """The values of a link field: in the order of their label (or their own), or the labels themselves."""
    if row.id is None:
        return []
    value = getattr(link.table, link.column)
    if link.label is None:
        query = select(value).order_by(value)
    elif labels:
        query = select(link.label).join(link.table).order_by(link.label)
    else:
        query = select(value).join(link.label.class_).order_by(link.label)
    return list(session.exec(query.where(getattr(link.table, link.owner) == row.id)))


def read(session: Session, row, cls: type, fields: tuple[Field, ...]):
    """The row as its form holds it: "" for an empty text, [] for no pick."""
    values = {}
    for f in fields:
        value = _linked(session, row, f.link) if f.link else getattr(row, f.name)
        values[f.name] = coerce(f, value)
    return cls(**values)


def coerce(f: Field, value: Any) -> Any:
    """A stored (or carried) value as the input holds it."""
    if f.kind in TEXTS:
        return value or ""
    if f.kind in LISTS:
        values = list(value or [])
        return _in_order(values, f.options) if f.ordered else values
    return value


def write(session: Session, row, data, fields: tuple[Field, ...]) -> None:
    """Put the input in the row (an empty text stored as NULL) and its link tables; the caller sets the rest."""
    for f in fields:
        if f.link is None:
            value = getattr(data, f.name)
            setattr(row, f.name, (value or None) if f.kind in TEXTS else list(value) if f.kind in LISTS else value)
    session.add(row)
    session.flush()  # a new row gets its id, which the link rows need
    for f in fields:
        if f.link is not None:
            sync_links(session, f.link.table, f.link.owner, row.id, f.link.column, getattr(data, f.name))
    session.flush()


def stored(row, fields: tuple[Field, ...]) -> dict:
    """The column fields as the row stores them (None for an empty text), for audit events."""
    return {f.name: getattr(row, f.name) for f in fields if f.link is None}


def audited_links(session: Session, row, fields: tuple[Field, ...]) -> dict:
    """The link fields for audit events, sorted: by their label where they have one (codes, not ids)."""
    return {f.link.audited_as or f.name: sorted(_linked(session, row, f.link, labels=True))
            for f in fields if f.link is not None}
