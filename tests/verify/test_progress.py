"""Verification progress (verbose 0/1/2), the summary table of arms, and the plot of every strategy."""

from __future__ import annotations

import io
import re

import pytest

import autofix
from autofix.verify.progress import Progress

keras = pytest.importorskip("keras")
L = keras.layers


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _arms(progress: Progress) -> None:
    progress.info("autofix verify: plan")
    for name, score in (("original", 0.5), ("default fixes", 0.9)):
        progress.start(name, seed=0, steps=16, stage="rules")
        progress.done(name, seed=0, steps=16, metric="val_accuracy", score=score, seconds=1.25, stage="rules")


def test_progress_levels_without_a_model():
    silent, lines, display, terminal = io.StringIO(), io.StringIO(), io.StringIO(), _Terminal()
    for verbose, stream in ((0, silent), (2, lines), (1, display), (1, terminal)):
        _arms(Progress(verbose, stream))
    assert silent.getvalue() == ""
    assert lines.getvalue().splitlines() == [
        "rules: original (seed 0, 16 steps): val_accuracy=0.500 in 1.2 s",
        "rules: default fixes (seed 0, 16 steps): val_accuracy=0.900 in 1.2 s"]
    shown = display.getvalue().splitlines()
    assert shown[0] == "autofix verify: plan" and len(shown) == 3
    assert re.match(r"  \[2\] rules: default fixes \(seed 0, 16 steps\): val_accuracy=0.900 in 1.2 s "
                    r"\[\d+ s elapsed\]$", shown[2])
    live = terminal.getvalue()
    assert "training...\r  [1] rules: original" in live, "on a terminal the arm is shown while it trains"
    assert "\r" not in display.getvalue(), "no carriage returns when the output is not a terminal"


def _softmax_1_unit():
    """AF201 fires (one softmax unit): the rule stage trains the original and one candidate."""
    model = keras.Sequential([keras.Input((8,)), L.Dense(8, activation="relu"), L.Dense(1, activation="softmax")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_fix_verbose_levels(verbose, binary_data, capsys):
    x, y = binary_data
    result = autofix.fix(_softmax_1_unit(), x, y, fit_kwargs={"batch_size": 32}, verify=True, steps=16,
                         probe=False, search=False, verbose=verbose)
    out = capsys.readouterr().out.splitlines()
    arms = result.verification.rows()
    assert {r.name for r in arms} == {"original", "default fixes"}
    if verbose == 0:
        assert out == []
    elif verbose == 2:
        assert len(out) == len(arms) and all(re.match(r"rules: .+ \(seed \d, 16 steps\): val_accuracy=\d\.\d{3} "
                                                      r"in \d+\.\d s$", line) for line in out), out
    else:
        numbered = [line for line in out if line.startswith("  [")]
        assert len(numbered) == len(arms) and numbered[1].startswith("  [2] rules: default fixes"), out


def test_search_arms_one_line_each_in_the_table_and_the_plot(binary_data, slow_sgd, capsys):
    x, y = binary_data
    result = autofix.fix(slow_sgd(), x, y, fit_kwargs={"batch_size": 32}, verify=True, steps=32,
                         strategies=["AS103", "AS104"], verbose=2)
    out = capsys.readouterr().out.splitlines()
    evidence = result.verification
    rows = evidence.rows()
    assert evidence.search.triggered and evidence.search.arms == len(out) == len(rows)
    assert {r.name for r in rows} >= {"original", "AS103 learning-rate-up", "AS104 adam-default"}
    summary = result.summary_lines()
    head = next(i for i, line in enumerate(summary) if line.lstrip().startswith("stage"))
    assert re.match(r"\s+stage\s+arm\s+seed\s+steps\s+val_accuracy\s+gain\s+time\s+verdict", summary[head])
    table = summary[head + 1: head + 1 + len(rows)]
    assert all(line.lstrip().startswith("search") for line in table), table
    assert any("AS104 adam-default" in line and " 32 " in line for line in table)
    figure = result.plot()
    search_axis = figure.axes[1]
    labels = [line.get_label() for line in search_axis.lines]
    assert any("AS103" in label for label in labels) and any("AS104" in label for label in labels)
    assert any("original" in label for label in labels)


def test_a_capped_script_run_is_shown_as_an_arm():
    from autofix.verify.progress import script_done
    from autofix.verify.scripts import ScriptRun

    stream = io.StringIO()
    progress = Progress(2, stream)
    script_done(progress, ScriptRun("original", 0, 3.5, scores=[{"metric": "accuracy", "value": 0.75}]))
    script_done(progress, ScriptRun("rewritten", 1, 2.0, histories=[{"val_loss": [0.9, 0.4]}]))
    assert stream.getvalue().splitlines() == ["script: original: accuracy=0.750 in 3.5 s",
                                              "script: rewritten: val_loss=0.400 in 2.0 s (error: exit 1)"]
