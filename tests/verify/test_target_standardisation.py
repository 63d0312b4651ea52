"""Strategy AS207 and rule AF408 share one edit: Rescaling(scale=std, offset=mean) after a linear head."""

from __future__ import annotations

import numpy as np
import pytest

from autofix.edits import InsertLayer
from autofix.rules import REGISTRY as RULES
from autofix.strategies import REGISTRY, ranked

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.keras
L = keras.layers


def _spec(y, loss="mse", head=None):
    from autofix.live.extract import extract

    model = keras.Sequential([keras.Input((4,)), L.Dense(8, activation="relu"), head or L.Dense(1, name="out")])
    model.compile(optimizer="adam", loss=loss)
    return extract(model, np.random.default_rng(0).normal(size=(len(y), 4)), y, {"epochs": 2})


def test_strategy_appends_the_rules_rescaling():
    y = np.linspace(1000.0, 9000.0, 64)
    spec = _spec(y)
    (edit,) = REGISTRY["AS207"]().edits(spec)
    assert isinstance(edit, InsertLayer) and edit.after and edit.anchor == "out"
    assert edit.new.kwargs == {"scale": float(f"{y.std():.3g}"), "offset": 5000.0}
    (finding,) = RULES["AF408"]().run(spec)
    assert finding.fix.edits == (edit,), "one implementation of the edit"
    assert "AS207" in [s.code for s in ranked(spec, ["no-learning"])]


def test_strategy_leaves_standardised_targets_and_other_heads_alone():
    strategy = REGISTRY["AS207"]()
    assert strategy.edits(_spec(np.linspace(-1.5, 1.5, 64))) == []
    assert strategy.edits(_spec(np.linspace(10.0, 90.0, 64), head=L.Dense(1, activation="relu"))) == []
    assert strategy.edits(_spec(np.linspace(10.0, 90.0, 64), loss="mape")) == []
    # Targets of order 50: not unscaled enough for AF408, but not standardised for the search either.
    spec = _spec(np.linspace(10.0, 90.0, 64))
    assert strategy.edits(spec) and RULES["AF408"]().run(spec) == []
