"""The yearly analysis as a PDF to hand to IUCN's Council: a title page with the headline figures, then
each section of the Secretariat's narrative followed by its charts and tables, and an annex with the
challenges and solutions of every published Progress Report.

Charts are drawn with matplotlib (offline; plotly's image export needs a browser) in the status colours
of db/vocab.py; the document is laid out with fpdf2 in DejaVu Sans (shipped with matplotlib, and
matplotlib's own default font for the charts), which has every accent of French and Spanish, of Congress
names and narrative text. Every word of the document is in the current language (locales, issue 14); the
statuses and categories are translated where drawn, their colours and order stay keyed on the stored value.
"""

import io
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: draw to memory

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from fpdf import FPDF  # noqa: E402
from fpdf.fonts import FontFace  # noqa: E402

import locales  # noqa: E402
from analytics.charts import BAR_COLOUR as BAR  # noqa: E402
from analytics.charts import COVERAGE_COLOURS
from analytics.progress import COVERAGE_CATEGORIES  # noqa: E402
from analytics.yearly_analysis import CHANGE_COLOURS, CHANGES, Sections, transition_matrix  # noqa: E402
from db import vocab  # noqa: E402
from locales import N_, _, ngettext  # noqa: E402

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (31, 95, 139)
RULE = (222, 226, 230)

# Which computed figures follow each narrative section (by the narrative field's key).
# Titles in English (N_), translated where drawn.
CHART_TITLES = {
    "status": [N_("Change since last year"), N_("Status over the years")],  # the status is on the title page
    "coverage": [N_("Reporting coverage per year")],
    "themes": [N_("Status by theme")],
    "components": [N_("Activity Reports by kind of component"), N_("Activity Reports by type of action"),
                   N_("Activity Reports by IUCN region")],
    "obstacles": [N_("Most frequent challenges")],
}


# -- charts ----------------------------------------------------------------------------------------------
def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return out.getvalue()


def _axes(width: float = 7.0, height: float = 2.6):
    fig, ax = plt.subplots(figsize=(width, height))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#adb5bd")
    ax.spines["bottom"].set_color("#adb5bd")
    ax.tick_params(colors="#343a40", labelsize=8)
    return fig, ax


def _legend(ax, n: int) -> None:
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(n, 6), fontsize=7, frameon=False)


def status_chart(status: pd.DataFrame) -> bytes:
    """Horizontal bars, one per status of the scale (fixed order and colours), count and share."""
    fig, ax = _axes(7.0, 2.4)
    labels = list(status["status"])[::-1]
    counts = list(status["count"])[::-1]
    shares = list(status["share"])[::-1]
    ax.barh([_(s) for s in labels], counts, color=[vocab.STATUS_COLOURS[s] for s in labels], height=0.65)
    top = max(counts + [1])
    for y, (n, s) in enumerate(zip(counts, shares)):
        ax.text(n + top * 0.01, y, f"{locales.format_number(n)}  ({locales.format_percent(s)})", va="center",
                fontsize=8, color="#343a40")
    ax.set_xlim(0, top * 1.18)
    ax.set_xlabel(_("Resolutions"), fontsize=8)
    return _png(fig)


def stacked_status_chart(frame: pd.DataFrame, by: str, *, horizontal: bool, height: float = 2.8) -> bytes:
    """100 % stacked bars of (by, status, count, share), statuses in scale order and colours."""
    groups = list(dict.fromkeys(frame[by]))
    fig, ax = _axes(7.0, height)
    base = [0.0] * len(groups)
    names = [_(str(g)) if by != "year" else str(g) for g in groups]  # themes are vocabulary, years numbers
    for status in vocab.STATUS_SCALE:
        part = frame[frame["status"] == status].set_index(by).reindex(groups)
        values = (part["share"].fillna(0) * 100).tolist()
        counts = part["count"].fillna(0).astype(int).tolist()
        kwargs = dict(color=vocab.STATUS_COLOURS[status], label=_(status))
        bars = (ax.barh(names, values, left=base, height=0.65, **kwargs) if horizontal
                else ax.bar(names, values, bottom=base, width=0.6, **kwargs))
        dark = status in ("Not started", "On-going", "Completed")
        for bar, v, n in zip(bars, values, counts):
            if v >= 7:
                x = bar.get_x() + bar.get_width() / 2
                y = bar.get_y() + bar.get_height() / 2
                ax.text(x, y, str(n), ha="center", va="center", fontsize=7, color="white" if dark else "#212529")
        base = [b + v for b, v in zip(base, values)]
    if horizontal:
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel(_("Share of Resolutions (%)"), fontsize=8)
    else:
        ax.set_ylim(0, 100)
        ax.set_ylabel(_("Share of Resolutions (%)"), fontsize=8)
    _legend(ax, len(vocab.STATUS_SCALE))
    return _png(fig)


def coverage_chart(coverage: pd.DataFrame) -> bytes:
    years = sorted(coverage["year"].unique())
    fig, ax = _axes(7.0, 2.8)
    base = [0] * len(years)
    for category in COVERAGE_CATEGORIES:
        part = coverage[coverage["category"] == category].set_index("year").reindex(years)
        counts = part["count"].fillna(0).astype(int).tolist()
        bars = ax.bar([str(y) for y in years], counts, bottom=base, width=0.6, color=COVERAGE_COLOURS[category],
                      label=_(category))
        for bar, n in zip(bars, counts):
            if n:
                ax.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2, str(n),
                        ha="center", va="center", fontsize=7,
                        color="white" if category == vocab.PUBLISHED else "#212529")
        base = [b + n for b, n in zip(base, counts)]
    ax.set_ylabel(_("Resolutions in force"), fontsize=8)
    _legend(ax, 3)
    return _png(fig)


def count_chart(frame: pd.DataFrame, label: str, count: str = "count", *, xlabel: str,
                colours: list[str] | None = None) -> bytes:
    """Horizontal bars (label, count), in the frame's order from the top; labels (vocabulary) translated."""
    fig, ax = _axes(7.0, 0.5 + 0.28 * max(len(frame), 1))
    labels = [_(str(v)) for v in frame[label]][::-1]
    counts = list(frame[count])[::-1]
    ax.barh(labels, counts, color=(colours[::-1] if colours else BAR), height=0.65)
    top = max(counts + [1])
    for y, n in enumerate(counts):
        ax.text(n + top * 0.01, y, locales.format_number(n), va="center", fontsize=8, color="#343a40")
    ax.set_xlim(0, top * 1.12)
    ax.set_xlabel(xlabel, fontsize=8)
    return _png(fig)


def charts(s: Sections) -> dict[str, bytes]:
    """Every chart of the document, by its English title (CHART_TITLES)."""
    areas = s.by_theme
    return {
        "Status of the Resolutions": status_chart(s.status),
        "Status over the years": stacked_status_chart(s.status_over_years, "year", horizontal=False),
        "Change since last year": count_chart(s.change, "change", xlabel=_("Resolutions"),
                                              colours=[CHANGE_COLOURS[c] for c in CHANGES]),
        "Reporting coverage per year": coverage_chart(s.coverage),
        "Status by theme": stacked_status_chart(areas, "theme", horizontal=True,
                                                height=0.9 + 0.3 * areas["theme"].nunique()),
        "Activity Reports by kind of component": count_chart(s.by_component_kind, "label",
                                                             xlabel=_("Activity Reports")),
        "Activity Reports by type of action": count_chart(s.by_action_type, "label", xlabel=_("Activity Reports")),
        "Activity Reports by IUCN region": count_chart(s.by_region, "label", xlabel=_("Activity Reports")),
        "Most frequent challenges": count_chart(s.challenges, "challenge",
                                                xlabel=_("Published Progress Reports naming it")),
    }


# -- document --------------------------------------------------------------------------------------------
class _Document(FPDF):
    def __init__(self, running_title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title
        self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages()

    def header(self):
        if self.page_no() == 1:
            return
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.running_title, align="L")
        self.ln(8)

    def footer(self):
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font("DejaVu", "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}"), align="R")

    # building blocks
    def heading(self, text: str, level: int = 1) -> None:
        if level == 1:
            if self.get_y() > 200:
                self.add_page()
            self.ln(4)
            self.set_font("DejaVu", "B", 15)
            self.set_text_color(*ACCENT)
            self.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT", align="L")
            self.set_draw_color(*ACCENT)
            self.set_line_width(0.5)
            self.line(self.l_margin, self.get_y(), self.l_margin + 30, self.get_y())
            self.ln(3)
        else:
            if self.get_y() > 225:
                self.add_page()
            self.ln(2)
            self.set_font("DejaVu", "B", 11)
            self.set_text_color(*INK)
            self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT", align="L")
            self.ln(1)

    def paragraph(self, text: str, *, italic: bool = False, size: float = 10) -> None:
        self.set_font("DejaVu", "I" if italic else "", size)
        self.set_text_color(*(MUTED if italic else INK))
        for block in [b for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]:
            self.multi_cell(0, 5.2, block.strip(), new_x="LMARGIN", new_y="NEXT", align="L")
            self.ln(2)

    def chart(self, title: str, png: bytes) -> None:
        width = self.w - self.l_margin - self.r_margin
        from PIL import Image

        with Image.open(io.BytesIO(png)) as img:
            height = width * img.height / img.width
        if self.get_y() + height + 10 > self.h - self.b_margin:
            self.add_page()
        self.set_font("DejaVu", "B", 9.5)
        self.set_text_color(*INK)
        self.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        self.image(io.BytesIO(png), x=self.l_margin, w=width)
        self.ln(3)

    def data_table(self, frame: pd.DataFrame, *, widths: tuple | None = None, size: float = 8, **kwargs) -> None:
        if frame.empty:
            self.paragraph(_("Nothing to show for this year."), italic=True, size=9)
            return
        if len(frame) <= 12 and self.get_y() + 6.5 * (len(frame) + 1) > self.h - self.b_margin:
            self.add_page()  # a short table is read whole: keep it on one page
        self.set_font("DejaVu", "", size)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        heading = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=ACCENT)
        with super().table(col_widths=widths, headings_style=heading, line_height=4.4, text_align="LEFT",
                           cell_fill_color=(246, 248, 250), cell_fill_mode="ROWS", padding=1.2,
                           **kwargs) as grid:
            grid.row([str(c) for c in frame.columns])
            for values in frame.itertuples(index=False):
                grid.row(["" if pd.isna(v) else str(v) for v in values])
        self.ln(3)


def _title_page(pdf: _Document, s: Sections, note: str, status_png: bytes) -> None:
    pdf.add_page()
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 62, style="F")
    pdf.set_xy(18, 20)
    pdf.set_font("DejaVu", "", 10)
    pdf.set_text_color(255, 255, 255)
    pdf.cell(0, 6, _("IUCN · Resolutions and Recommendations"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(0, 10, _("Yearly analysis {year}").format(year=s.year), new_x="LMARGIN", new_y="NEXT",
                   align="L")
    pdf.set_font("DejaVu", "", 12)
    pdf.multi_cell(0, 6, _("Implementation of the Resolutions and Recommendations of the {congress}").format(
        congress=s.congress_title), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_y(72)
    pdf.set_text_color(*INK)
    pdf.set_font("DejaVu", "I", 9.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(6)
    h = s.headline
    n = locales.format_number
    boxes = [
        (n(h["resolutions_in_force"]), _("Resolutions and Recommendations in force")),
        (locales.format_percent(h["published_share"]),
         _("with a published Progress Report ({n})").format(n=n(h["published"]))),
        (n(h["in_preparation"]), _("{state}: a Progress Report not published yet").format(
            state=_(vocab.IN_PREPARATION))),
        (n(h["no_progress_report"]), _(vocab.NO_PROGRESS_REPORT)),
        (n(h["activity_reports"]), _("Activity Reports received in {year}").format(year=s.year)),
        (n(h["components_involved"]), _("IUCN components involved")),
    ]
    width = (pdf.w - pdf.l_margin - pdf.r_margin - 2 * 5) / 3
    top = pdf.get_y()
    for i, (figure, label) in enumerate(boxes):
        x = pdf.l_margin + (i % 3) * (width + 5)
        y = top + (i // 3) * 30
        pdf.set_fill_color(241, 245, 249)
        pdf.rect(x, y, width, 25, style="F")
        pdf.set_xy(x + 4, y + 3)
        pdf.set_font("DejaVu", "B", 18)
        pdf.set_text_color(*ACCENT)
        pdf.cell(width - 8, 9, figure)
        pdf.set_xy(x + 4, y + 13)
        pdf.set_font("DejaVu", "", 8)
        pdf.set_text_color(*INK)
        pdf.multi_cell(width - 8, 4, label, align="L")
    pdf.set_y(top + 64)
    pdf.chart(_("Status of the Resolutions in {year}").format(year=s.year), status_png)
    pdf.set_y(max(pdf.get_y(), pdf.h - 40))
    pdf.set_font("DejaVu", "", 8)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 4, _("Figures computed from the published Progress Reports and the Activity Reports received "
                           "in {year}. '{in_preparation}' counts Resolutions whose Progress Report for the year is "
                           "not published yet, '{no_report}' those without one. Prepared with the IUCN Resolutions "
                           "Tracker on {date}.").format(year=s.year, in_preparation=_(vocab.IN_PREPARATION),
                                                        no_report=_(vocab.NO_PROGRESS_REPORT),
                                                        date=locales.format_date(datetime.now(UTC))),
                   new_x="LMARGIN", new_y="NEXT", align="L")


def analysis_pdf(s: Sections, *, narrative: list[tuple[str, str, str]], note: str) -> bytes:
    """The whole analysis as PDF bytes. narrative: (key, label, text) per section, in document order;
    an empty text leaves only the section's figures. note: the line under the title (published when,
    or that this is a draft)."""
    title = _("Yearly analysis {year}").format(year=s.year)
    pdf = _Document(f"{title} · {s.congress_title}")
    pdf.set_title(f"{title}: {s.congress_title}")
    pdf.set_lang(locales.current())
    pdf.set_author(_("IUCN Secretariat"))
    pdf.set_creator(_("IUCN Resolutions Tracker"))
    images = charts(s)
    _title_page(pdf, s, note, images["Status of the Resolutions"])
    pdf.add_page()
    for number, (key, label, text) in enumerate(narrative, start=1):
        pdf.heading(f"{number}. {label}")
        if text.strip():
            pdf.paragraph(text)
        for title in CHART_TITLES.get(key, []):
            pdf.chart(_(title), images[title])
        _section_tables(pdf, key, s)
    pdf.add_page()
    pdf.heading(_("Annex. Challenges and solutions by Resolution"))
    pdf.paragraph(_("As written in the published Progress Reports for {year}.").format(year=s.year), italic=True,
                  size=9)
    texts = s.reports_text[(s.reports_text["challenges"] != "") | (s.reports_text["solutions"] != "")]
    annex = texts[["code", "status", "challenges", "solutions"]].assign(status=lambda t: t["status"].map(_))
    pdf.data_table(annex.rename(columns={"code": _("Code"), "status": _("Status"), "challenges": _("Challenges"),
                                         "solutions": _("Solutions")}),
                   widths=(22, 14, 37, 27), size=7)
    return bytes(pdf.output())


def _section_tables(pdf: _Document, key: str, s: Sections) -> None:
    if key == "status":
        pdf.heading(_("Status in {last} and in {year}").format(last=s.year - 1, year=s.year), level=2)
        pdf.paragraph(_("Each row: Resolutions at that status last year; each column: their status this year."),
                      italic=True, size=8.5)
        matrix = transition_matrix(s.transitions, s.year)
        matrix = matrix.set_axis([f"{s.year - 1} \\ {s.year}", *(_(c) for c in matrix.columns[1:])], axis=1)
        matrix.iloc[:, 0] = matrix.iloc[:, 0].map(_)
        pdf.data_table(matrix, widths=(16, *(12,) * len(vocab.STATUS_SCALE)), size=7)
    elif key == "coverage":
        wide = s.coverage.pivot(index="year", columns="category", values="count").reindex(
            columns=list(COVERAGE_CATEGORIES)).fillna(0).astype(int).reset_index()
        wide.columns = [_("Year"), *(_(c) for c in COVERAGE_CATEGORIES)]
        pdf.data_table(wide, size=8)
    elif key == "obstacles":
        pdf.heading(_("Solutions proposed for each challenge"), level=2)
        frame = s.solutions_by_challenge
        bullets = frame.assign(challenge=frame["challenge"].map(_),
                               solutions=["• " + text.replace("\n", "\n• ") for text in frame["solutions"]])
        pdf.data_table(bullets.rename(columns={"challenge": _("Challenge"), "reports": _("Reports"),
                                               "solutions": _("Solutions proposed")}),
                       widths=(28, 10, 62), size=7.5)
        _reporters_words(pdf, s)


def _reporters_words(pdf: _Document, s: Sections) -> None:
    """The largest groups of the reporters' texts, each quote with its report and Resolution(s)."""
    pdf.heading(_("What slowed implementation, in the reporters' words"), level=2)
    if s.reporters_words.empty:
        pdf.paragraph(_("No report of {year} describes its challenges yet.").format(year=s.year), italic=True, size=9)
        return
    for row in s.reporters_words.itertuples():
        label = row.name or ", ".join(row.terms[:4])
        pdf.paragraph(f"{label} · " + ngettext("{n} text", "{n} texts", row.texts).format(
            n=locales.format_number(row.texts)), size=9.5)
        for quote in row.quotes:
            kind = _("Progress Report") if quote["kind"] == "progress" else _("Activity Report")
            source = _("{kind} {id}, {year}").format(kind=kind, id=quote["report_id"], year=quote["year"])
            codes = ", ".join(quote["codes"])
            pdf.paragraph(f"“{quote['text']}” ({source}; {codes})", italic=True, size=8.5)
