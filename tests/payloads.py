"""Hostile input, in one place, for every form, import, URL parameter and export test (issue 12).

Each payload is something a user or a file could really send. A test pushes them through a form or an
import and asserts either a clear message next to the field, or output that is inert: shown as the same
plain text, a spreadsheet cell that does not run, nothing half-written.
"""

# Markdown / HTML that would render as a link, an image (fetched when the page opens), a styled span, a
# heading, LaTeX or a script if user text were ever rendered as Markdown or HTML.
MARKUP = (
    "[Sign in again](http://evil.example/login)",
    "![tracker](http://evil.example/pixel.png)",
    ":red[URGENT] :material/warning: check your account",
    "$\\frac{1}{0}$ and $$x^2$$",
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "Title\n===\nnot a heading",
    "**bold** _italic_ `code` ~~gone~~ # heading",
    "<a href='javascript:alert(1)'>click</a>",
)

# Cells a spreadsheet would run as a formula (OWASP CSV injection).
FORMULAS = (
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-1",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)

# Characters that crash databases or spreadsheet writers when they slip through.
CONTROL = (
    "before\x00after",  # NUL: PostgreSQL text refuses it
    "vertical\x0btab",  # openpyxl IllegalCharacterError
    "escape\x1b[31mred",
    "bell\x07",
    "form\x0cfeed",
)

# Text that is legal and must come through unchanged.
ORDINARY = (
    "Protection of deep-ocean ecosystems and biodiversity through a moratorium on seabed mining",
    "Niña, Hawai‘i, Côte d’Ivoire, São Tomé, Ñandú",
    "مرحبا بالعالم \u200f(right-to-left)\u200e done",  # RTL text with direction marks
    "It's 50% done; a < b > c & d",
    "line one\nline two\ttabbed",
)

HUGE_TEXT = "x" * 1_000_000  # 1 MB in one field or cell
HUGE_NUMBERS = ("99999999999999999999999", "18446744073709551616", "-9223372036854775809", "1e308", "²", "١٢")

ALL_TEXT = MARKUP + FORMULAS + CONTROL + ORDINARY
