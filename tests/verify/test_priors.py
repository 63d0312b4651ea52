"""Measured priors: the initial priors updated by the fault suite's cure counts order the search."""

from __future__ import annotations

import pytest

from autofix.strategies import REGISTRY, SYMPTOMS, _measured, priors, ranked

keras = pytest.importorskip("keras")
L = keras.layers


def _spec():
    from autofix.live.extract import extract

    model = keras.Sequential([keras.Input((8,)), L.Dense(16, activation="relu"), L.Dropout(0.5),
                              L.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.SGD(0.01), loss="binary_crossentropy")
    return extract(model, None, None, {"batch_size": 32})


def test_update_is_a_beta_mean_worth_strength_arms():
    initial = {"no-learning": {"AS101": 0.25}}
    table = priors.updated(initial, {"no-learning": {"AS101": [3, 4], "AS206": [1, 2]}}, strength=2.0)
    assert table["no-learning"]["AS101"] == pytest.approx((3 + 2 * 0.25) / (4 + 2))
    assert table["no-learning"]["AS206"] == pytest.approx(1 / 4), "a cure it was not meant for: a small prior"
    assert priors.updated(initial, {}) == initial


def test_the_search_orders_by_the_measured_cures(monkeypatch):
    spec = _spec()
    monkeypatch.setattr(_measured, "CURES", {})
    before = [s.code for s in ranked(spec, {"no-learning"})]
    assert before.index("AS201") < before.index("AS206"), "initial priors: AS201 .35 before AS206 .10"
    monkeypatch.setattr(_measured, "CURES", {"no-learning": {"AS206": [8, 8], "AS201": [0, 8]}})
    after = [s.code for s in ranked(spec, {"no-learning"})]
    assert after[0] == "AS206" and after.index("AS201") > after.index("AS104")


def test_the_committed_measurement_is_well_formed_and_used():
    for symptom, row in _measured.CURES.items():
        assert symptom in SYMPTOMS
        for code, (cured, tried) in row.items():
            assert code in REGISTRY and 0 <= cured <= tried
    assert priors.table() == priors.updated(priors.PRIORS, _measured.CURES)
    spec = _spec()
    order = ranked(spec, {"no-learning", "flat-loss"})
    scores = [priors.prior(s.code, {"no-learning", "flat-loss"}) for s in order]
    assert scores == sorted(scores, reverse=True)
