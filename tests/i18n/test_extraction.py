"""Every text the code hands to _(), N_() or ngettext() reaches the catalogues (issue 14). Babel does not read
inside an f-string's braces, so f"{_('New')}" was never extracted and stayed English on every screen."""

import ast

from locales.build import extract, source_files


def test_every_marked_text_is_extracted():
    extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in extract() if m.id}
    missed = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_", "ngettext") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and node.args[0].value not in extracted):
                missed.append(f"{path.name}:{node.lineno}: {node.args[0].value!r}")
    assert not missed, "marked but not extracted (inside an f-string?): " + "; ".join(missed)


def test_every_multiselect_names_its_placeholder():
    """Streamlit's own placeholder is English ("Choose options", "Choose an option"): every multiselect, and every
    selectbox that may be empty (index=None), gives one of its own, translated."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    missing = []
    for path in sorted([*(root / "pages").glob("*.py"), *(root / "ui").glob("*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("multiselect", "selectbox")):
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            may_be_empty = node.func.attr == "multiselect" or (
                isinstance(keywords.get("index"), ast.Constant) and keywords["index"].value is None)
            if may_be_empty and "placeholder" not in keywords:
                missing.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not missing, "no placeholder (Streamlit's English one shows): " + ", ".join(missing)
