"""The product header, drawn on every run: the logo and the product name, top left, through st.logo. (The
spacing under the header, which puts each page's title just below it, is theme.paddingTop in
.streamlit/config.toml.)

The logo is the app's own (ui/assets/logo.svg) unless RT_LOGO_PATH names another file; the name is
RT_PRODUCT_NAME (db/settings.py). Both are drawn as one image (a "wordmark"), because st.logo takes an image,
not text."""

import base64
import html
from functools import lru_cache
from pathlib import Path

import streamlit as st

from db.settings import LOGO_SUFFIXES, Settings

DEFAULT_LOGO = Path(__file__).resolve().parent / "assets" / "logo.svg"
_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
assert set(_TYPES) == set(LOGO_SUFFIXES)

_HEIGHT = 64  # the wordmark's drawing units: the logo is a square this high, the name beside it
_FONT = 26
# Quoted: an unquoted "Source Sans 3" is invalid CSS and the whole list would fall back to a serif font.
_FAMILY = "'Source Sans Pro', 'Source Sans 3', Helvetica, Arial, sans-serif"


def logo_file(settings: Settings) -> Path:
    """The configured logo, or the app's own (also while a bad RT_LOGO_PATH is being reported)."""
    return Path(settings.logo_path) if settings.logo_usable else DEFAULT_LOGO


@lru_cache(maxsize=4)
def wordmark(name: str, logo: Path, modified: float) -> str:
    """An SVG (as a data URL) of the logo with the product name beside it. `modified` (the logo file's
    time) renews the cache when the file changes. The name is configuration, escaped all the same."""
    data = base64.b64encode(logo.read_bytes()).decode("ascii")
    kind = _TYPES[logo.suffix.lower()]
    text_width = round(len(name) * _FONT * 0.56)  # textLength below makes any font fill exactly this
    width = _HEIGHT + 14 + text_width
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{_HEIGHT}" '
           f'viewBox="0 0 {width} {_HEIGHT}">'
           f'<image href="data:{kind};base64,{data}" x="0" y="4" width="{_HEIGHT - 8}" height="{_HEIGHT - 8}"/>'
           f'<text x="{_HEIGHT + 4}" y="{_HEIGHT / 2 + _FONT * 0.36:.0f}" font-family="{_FAMILY}" '
           f'font-size="{_FONT}" font-weight="600" fill="#1d2a33" textLength="{text_width}" '
           f'lengthAdjust="spacingAndGlyphs">{html.escape(name)}</text></svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def header(settings: Settings) -> None:
    """The logo and the product name, top left: in the sidebar, and in the header when the sidebar is
    closed (on a phone, and while signed out)."""
    logo = logo_file(settings)
    st.logo(wordmark(settings.product_name, logo, logo.stat().st_mtime), size="large")
