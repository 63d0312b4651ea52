"""autofix-src --verify: the search after a confirmed rule rewrite (runs faked: no Keras needed)."""

from __future__ import annotations

from test_scripts_search import SCRIPT, _run

from autofix.cli import verify_src
from autofix.source.check import Result
from autofix.verify import script_search


def _search(monkeypatch, rejudged: str, loss=(0.69, 0.6, 0.5)):
    """search_repair on a confirmed rewrite whose run is at chance with ``loss``; trials win at 0.93."""
    monkeypatch.setattr(script_search, "run_script", lambda path, *, source, label, budget: _run(0.93, label=label))
    monkeypatch.setattr(verify_src, "_rejudge", lambda *args, **kwargs: rejudged)
    lines: list[str] = []
    result = Result("t.py", SCRIPT, SCRIPT)
    found = verify_src.search_repair("t.py", result, budget=600, unsafe=True, echo=lines.append,
                                     original_run=_run(0.52, loss=loss), on_rewrite=True)
    return found, result, "\n".join(lines)


def test_a_rewrite_whose_loss_still_falls_is_searched_as_still_falling_not_no_learning(monkeypatch):
    found, result, text = _search(monkeypatch, "winner")
    assert found and result.fixed != SCRIPT
    assert "still shows still-falling" in text and "no-learning" not in text.split("searching")[0]


def test_a_winner_on_a_rewrite_is_kept_only_when_it_lasts_on_longer_runs(monkeypatch):
    found, result, text = _search(monkeypatch, "not confirmed")
    assert not found and result.fixed == SCRIPT
    assert "did not last on longer runs" in text


def test_a_flat_rewrite_stays_no_learning(monkeypatch):
    found, _, text = _search(monkeypatch, "winner", loss=(0.69, 0.69, 0.69))
    assert found and "still shows no-learning" in text


def test_falling_after_fixes_needs_a_steep_last_epoch():
    assert "still-falling" in verify_src._falling_after_fixes(_run(0.9, loss=(2.5, 2.4, 2.3)))
    assert verify_src._falling_after_fixes(_run(0.9, loss=(2.5, 2.5, 2.5))) == {}
    assert verify_src._falling_after_fixes(_run(0.9, loss=(2.5, 2.4))) == {}  # too short to tell
