"""The yearly analysis in English, French and Spanish (issue 14), on both databases: one narrative per language,
readers see the published one of their language or the English one with the fallback flag; the PDF and the Excel
workbook in the reader's language, with their accents (DejaVu Sans) and translated headers, data unchanged."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, select

import locales
from analytics import yearly_analysis as ya
from analytics.export_pdf import analysis_pdf
from db.models import AuditEvent, ProgressReportRevision, YearlyAnalysis, YearlyAnalysisText
from services import export_tables as et
from services import yearly_analysis as service
from services.errors import ConflictError, ValidationFailed
from services.tabular import csv_bytes
from tests import factories as f

EN = {"key_messages": "Most Resolutions are underway.", "recommendations": "Fund the follow-up."}
FR = {"key_messages": "La plupart des Résolutions avancent.", "recommendations": "Financer le suivi."}
ES = {"key_messages": "La mayoría de las Resoluciones avanzan.", "recommendations": "Financiar el seguimiento."}


@pytest.fixture(autouse=True)
def catalogues():
    locales.reload()  # the catalogues as locales.build last wrote them
    yield
    locales.set_language("en")


@pytest.fixture
def people(engine):
    with Session(engine) as s:
        made = {role: f.actor(s, f.user(s, role, (role,))) for role in ("secretariat", "leadership")}
        s.commit()
    return made


def _write(engine, actor, narrative, language, version=None, publish=True):
    with Session(engine) as s:
        write = service.publish if publish else service.save_draft
        view = write(session=s, actor=actor, congress="WCC-2020", year=2024, narrative=narrative, version=version,
                     language=language)
        s.commit()
        return view


def _read(engine, actor, language):
    with Session(engine) as s:
        return service.read_analysis(session=s, actor=actor, congress="WCC-2020", year=2024, language=language)


def test_each_language_has_its_own_text_and_readers_fall_back_to_english(engine, people):
    sec, lead = people["secretariat"], people["leadership"]
    english = _write(engine, sec, EN, "en")
    # no French text yet: the French reader gets the English one, flagged
    fr = _read(engine, lead, "fr")
    assert fr.fallback and fr.shown_language == "en" and fr.published["key_messages"] == EN["key_messages"]
    assert fr.language == "fr" and fr.draft is None

    french = _write(engine, sec, FR, "fr", version=english.version)
    assert french.version == english.version + 1  # one version for the whole analysis
    assert french.draft["key_messages"] == FR["key_messages"] and not french.fallback
    fr = _read(engine, lead, "fr")
    assert not fr.fallback and fr.shown_language == "fr" and fr.published["recommendations"] == FR["recommendations"]
    # the other languages are untouched: English is still English, Spanish still falls back to it
    assert _read(engine, lead, "en").published == service._texts(EN)
    es = _read(engine, lead, "es")
    assert es.fallback and es.published == service._texts(EN)

    _write(engine, sec, ES, "es", version=french.version)
    es = _read(engine, lead, "es")
    assert not es.fallback and es.published["key_messages"] == ES["key_messages"]
    with Session(engine) as s:
        rows = s.exec(select(YearlyAnalysisText.language, YearlyAnalysisText.state)
                      .order_by(YearlyAnalysisText.language)).all()
        assert rows == [("es", "published"), ("fr", "published")]
        assert s.exec(select(YearlyAnalysis)).one().narrative["published"] == service._texts(EN)
        ids = s.exec(select(AuditEvent.entity_id).where(AuditEvent.entity == "yearly_analysis")
                     .order_by(AuditEvent.id)).all()
        assert ids == ["WCC-2020/2024", "WCC-2020/2024/fr", "WCC-2020/2024/es"]


def test_a_french_draft_keeps_readers_on_the_published_french_text(engine, people):
    sec, lead = people["secretariat"], people["leadership"]
    first = _write(engine, sec, FR, "fr")  # French first: the analysis exists with an empty English draft
    assert _read(engine, lead, "en").published is None  # nothing published in English
    assert _read(engine, sec, "en").draft["key_messages"] == ""
    draft = _write(engine, sec, FR | {"key_messages": "Révisé."}, "fr", version=first.version, publish=False)
    assert draft.state == "draft" and draft.unpublished_changes
    assert _read(engine, lead, "fr").published["key_messages"] == FR["key_messages"]
    with pytest.raises(ConflictError):  # a save over a version someone else moved on is refused, any language
        _write(engine, sec, ES, "es", version=first.version)


def test_publishing_in_french_needs_the_same_sections_with_french_messages(engine, people):
    with locales.use("fr"), pytest.raises(ValidationFailed) as refused:
        _write(engine, people["secretariat"], {"key_messages": "x"}, "fr")
    messages = {e.field: e.message for e in refused.value.errors}
    assert messages == {"recommendations": "rédigez les recommandations avant de publier"}


@pytest.fixture
def data(engine):
    """WCC-2020 in 2024: three Resolutions, two published Progress Reports (Underway, Completed), one naming
    Funding with its solution; an English narrative published."""
    with Session(engine) as s:
        focal = f.user(s, "foc", ("focal_point",))
        boss = f.user(s, "sec", ("secretariat",))
        res = [f.resolution(s, n, themes=("Land",)) for n in range(1, 4)]
        for r, status in zip(res, ("Underway", "Completed")):
            report = f.progress_report(s, r, focal, year=2024, state="published", status=status)
            content = {"challenge_categories": ["Funding"] if r is res[0] else [], "challenges": "No money",
                       "solutions": "=Seek grants"}
            s.add(ProgressReportRevision(progress_report_id=report.id, revision=1, status=status, content=content,
                                         published_by=focal.id))
            report.challenge_categories = content["challenge_categories"]
            s.add(report)
        s.flush()
        service.publish(session=s, actor=f.actor(s, boss), congress="WCC-2020", year=2024, narrative=EN,
                        version=None, language="en")
        s.commit()
    return engine


def _pdf_text(engine, language: str) -> str:
    with locales.use(language), Session(engine) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
        narrative = [(fld.key, locales._(fld.label), "") for fld in service.NARRATIVE_FIELDS]
        pdf = analysis_pdf(sections, narrative=narrative, note="")
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("language, headings", [
    ("fr", ["Analyse annuelle 2024", "État par thème", "Mise en œuvre des Résolutions et Recommandations",
            "Évolution depuis l'an dernier", "Difficultés les plus fréquentes", "1. Messages clés",
            "Annexe. Difficultés et solutions par Résolution", "7e Congrès mondial de la nature"]),
    ("es", ["Análisis anual 2024", "Cambio desde el año pasado", "Aplicación de las Resoluciones y Recomendaciones",
            "Desafíos más frecuentes", "1. Mensajes clave", "Anexo. Desafíos y soluciones por Resolución",
            "Página 2 de"]),
])
def test_the_pdf_speaks_the_readers_language_with_its_accents(data, language, headings):
    text = _pdf_text(data, language)
    for heading in headings:
        assert heading in text, heading
    accents = {"fr": "éèœ", "es": "ñóí"}[language]
    assert all(ch in text for ch in accents)
    assert "Yearly analysis" not in text and "Change since last year" not in text
    assert "Seek grants" in text  # what a report says stays as written


def test_the_pdf_in_english_is_unchanged(data):
    text = _pdf_text(data, "en")
    assert "Yearly analysis 2024" in text and "7th World Conservation Congress" in text


@pytest.mark.parametrize("language, sheets, status_header, narrative_heading", [
    ("fr", ["Texte d'analyse", "Chiffres clés", "État"], ["État", "Résolutions", "Part des Résolutions"],
     "Messages clés"),
    ("es", ["Texto del análisis", "Cifras clave", "Estado"], ["Estado", "Resoluciones",
                                                             "Proporción de las Resoluciones"], "Mensajes clave"),
])
def test_the_workbook_headers_are_in_the_readers_language(data, language, sheets, status_header,
                                                          narrative_heading):
    with locales.use(language), Session(data) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
        book = load_workbook(io.BytesIO(et.analysis_workbook(
            sections, narrative=[(locales._("Key messages"), EN["key_messages"])], note="")))
        csv = csv_bytes(et.analysis_tables(sections)["Solutions by challenge"]).decode("utf-8-sig")
    assert book.sheetnames[:3] == sheets
    status = book[sheets[2]]
    assert [c.value for c in status[5]] == status_header
    # the statuses are shown in the language; counts stay numbers
    rows = {r[0]: r[1] for r in status.iter_rows(min_row=6, values_only=True)}
    assert rows[locales_status(language)] == 1 and "Completed" not in rows
    narrative = book[sheets[0]]
    assert narrative_heading in [c.value for (c,) in narrative.iter_rows(min_col=1, max_col=1)]
    assert narrative["A2"].value.startswith({"fr": "Généré le", "es": "Generado el"}[language])
    header = csv.splitlines()[0]
    assert header == {"fr": "Difficulté,Rapports d'avancement,Solutions proposées",
                      "es": "Desafío,Informes de progreso,Soluciones propuestas"}[language]
    assert "'=Seek grants (1" in csv  # formula neutralised, data as written


def locales_status(language: str) -> str:
    with locales.use(language):
        return locales._("Completed")


def test_an_analysis_published_only_in_french_is_the_one_the_page_opens_on(engine, people):
    with Session(engine) as s:
        f.resolution(s, 1)
        s.commit()
    _write(engine, people["secretariat"], FR, "fr")
    with Session(engine) as s:
        assert service.default_view(session=s) == ("WCC-2020", 2024)
