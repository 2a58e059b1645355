"""The host's Arabic catalogue is complete, consistent and compiled."""

from __future__ import annotations

from pathlib import Path

from bawaba_sdk.testing.catalogue_files import template_problems
from bawaba_sdk.testing.catalogues import catalogue_problems

ROOT = Path(__file__).resolve().parent.parent


def test_host_catalogue_is_complete_and_compiled() -> None:
    problems = catalogue_problems(
        source_root=ROOT,
        mapping_file=ROOT / "babel.cfg",
        po_file=ROOT / "gateway" / "translations" / "ar" / "LC_MESSAGES" / "messages.po",
    )
    assert problems == []
    assert template_problems(ROOT, ROOT / "babel.cfg", ROOT / "gateway" / "translations" / "messages.pot") == []


def test_the_check_finds_missing_untranslated_and_stale_entries(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "views.py").write_text('_("Hello")\n_l("Welcome, %(name)s")\n_("Not in the catalogue")\n')
    mapping = tmp_path / "babel.cfg"
    mapping.write_text("[python: **.py]\n")
    po_file = tmp_path / "messages.po"
    po_file.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Hello"\nmsgstr ""\n\n'
        'msgid "Welcome, %(name)s"\nmsgstr "أهلًا"\n\n'
        'msgid "Gone"\nmsgstr "ذهب"\n',
        encoding="utf-8",
    )
    problems = catalogue_problems(source, mapping, po_file)
    assert "untranslated: 'Hello'" in problems
    assert "placeholder dropped in the translation of 'Welcome, %(name)s': 'أهلًا'" in problems
    assert "missing from messages.po: 'Not in the catalogue'" in problems
    assert "obsolete in messages.po: 'Gone'" in problems
    assert any("messages.mo is missing" in problem for problem in problems)
