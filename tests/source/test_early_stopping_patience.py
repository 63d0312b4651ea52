"""AF305 on the source path: what the code does not show is skipped, never guessed; the fix edits one call."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run, run_example

FIT = 'model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs={epochs}, callbacks=[{callback}])\n'
HEAD = ('model = keras.Sequential([keras.Input((4,)), layers.Dense(1)])\n'
        'model.compile(optimizer="adam", loss="mse")\n')
R22 = Path(__file__).parents[2] / "benchmarks/faults/real/r22_early_stopping_patience0.py"


def _check(callback: str, epochs="80", before: str = "", select=("AF305",), **kwargs):
    return run_example(before + HEAD + FIT.format(epochs=epochs, callback=callback), select=list(select), **kwargs)


def _skips(result):
    return [s.reason for s in result.skips if s.code == "AF305"]


@pytest.mark.parametrize("callback, expected", [
    ('keras.callbacks.EarlyStopping("val_loss", 0.02, 0)', 'keras.callbacks.EarlyStopping("val_loss", 0.02, 10)'),
    ('keras.callbacks.EarlyStopping("val_loss", 0.0, 0, 1, "min")',
     'keras.callbacks.EarlyStopping("val_loss", 0.0, 10, 1, "min")'),
])
def test_positional_patience_zero_is_found_and_set_in_place(callback, expected):
    assert [f.code for f in _check(callback)[0].findings] == ["AF305"]
    result, fixed = _check(callback, fix=True)
    assert [f.code for f, _ in result.applied] == ["AF305"]
    assert fixed.splitlines()[-1] == FIT.format(epochs="80", callback=expected).rstrip()


@pytest.mark.parametrize("callback, hidden", [
    ("keras.callbacks.EarlyStopping(patience=wait)", "patience is `int(sys.argv[1])`"),
    ("keras.callbacks.EarlyStopping(**options)", "monitor is `options`"),
    ("keras.callbacks.EarlyStopping(*options)", "monitor is `options`"),
])
def test_hidden_patience_is_skipped(callback, hidden):
    result, _ = _check(callback, before="import sys\nwait = int(sys.argv[1])\noptions = sys.argv[2:]\n")
    assert result.findings == []
    assert any(hidden in reason for reason in _skips(result)), result.skips


def test_hidden_epochs_are_skipped():
    result, _ = _check("keras.callbacks.EarlyStopping()", epochs="EPOCHS",
                       before="import sys\nEPOCHS = int(sys.argv[1])\n")
    assert result.findings == []
    assert any("epochs is" in reason for reason in _skips(result)), result.skips


def test_epoch_threshold():
    assert [f.code for f in _check("keras.callbacks.EarlyStopping()", epochs="10")[0].findings] == ["AF305"]
    assert _check("keras.callbacks.EarlyStopping()", epochs="9")[0].findings == []


def test_callback_not_passed_to_fit_is_skipped():
    code = HEAD + ("stop = keras.callbacks.EarlyStopping()\n"
                   "model.fit(np.zeros((8, 4)), np.zeros(8), validation_split=0.25, epochs=80)\n")
    result, _ = run_example(code, select=["AF305"])
    assert result.findings == []
    assert any("not visibly passed to fit()" in reason for reason in _skips(result))


def test_af502_ignores_an_unreadable_monitor():
    result, _ = _check("keras.callbacks.EarlyStopping(**options)", select=["AF502"],
                       before="import sys\noptions = sys.argv[2:]\n")
    assert result.findings == []


def test_r22_fix_sets_patience_on_the_callback_only():
    code = R22.read_text()
    assert [f.code for f in run(code, select=["AF305"]).findings] == ["AF305"]
    result = run(code, fix=True, select=["AF305"])
    assert [f.code for f, _ in result.applied] == ["AF305"]
    changed = [(a, b) for a, b in zip(code.splitlines(), result.fixed.splitlines()) if a != b]
    assert len(code.splitlines()) == len(result.fixed.splitlines())
    assert changed == [(changed[0][0], changed[0][0].replace("patience=0", "patience=10"))]
    assert "EarlyStopping(" in changed[0][0] and "min_delta=0.02" in changed[0][1]
