"""Ordinary correct training scripts give zero findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run

CORPUS = sorted((Path(__file__).parent / "corpus_correct").glob("*.py"))


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_correct_script_has_no_findings(path):
    result = run(path.read_text(), path=str(path))
    assert [f.render() for f in result.findings] == []


def test_corpus_models_are_extracted():
    from autofix.source.extract import extract_source

    counts = {p.stem: len(extract_source(p.read_text(), str(p))) for p in CORPUS}
    assert all(n >= 1 for n in counts.values()), counts
