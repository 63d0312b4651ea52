"""The start-up hook of script runs, tested in-process (the child process runs the same code)."""

from __future__ import annotations

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from autofix.training import _fit_hook  # noqa: E402

pytestmark = pytest.mark.keras


@pytest.fixture
def hooked(tmp_path, monkeypatch):
    monkeypatch.setattr(keras.Model, "fit", keras.Model.fit)  # restored after the test
    env = {"AUTOFIX_SEED": "0", "AUTOFIX_MAX_STEPS": "3", "AUTOFIX_MAX_EPOCHS": "1",
           "AUTOFIX_HISTORY": str(tmp_path / "h.jsonl"), "AUTOFIX_FACTS": str(tmp_path / "f.jsonl")}
    _fit_hook.install(env)
    return tmp_path


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def test_fit_is_capped_and_every_call_recorded(hooked):
    x, y = np.random.default_rng(0).normal(size=(64, 4)).astype("float32"), np.arange(64) % 2
    model = _model()
    first = model.fit(x, y, epochs=5, batch_size=4, verbose=0)
    model.fit(x, y, epochs=2, verbose=0)
    assert len(first.history["loss"]) == 1  # epochs capped to AUTOFIX_MAX_EPOCHS
    histories = [json.loads(line) for line in (hooked / "h.jsonl").read_text().splitlines()]
    assert len(histories) == 2 and list(histories[0]) == ["loss"]
    (facts,) = [json.loads(line) for line in (hooked / "f.jsonl").read_text().splitlines()]
    assert facts["layers"] == ["Dense"] and facts["fit"] == {"epochs": 5, "batch_size": 4, "shuffle": True}
    assert facts["data"]["n_samples"] == 64


def test_step_cap_stops_training(hooked):
    seen = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    x, y = np.zeros((64, 4), "float32"), np.zeros(64, "int64")
    _model().fit(x, y, epochs=1, batch_size=4, callbacks=[Count()], verbose=0)
    assert len(seen) == 3  # AUTOFIX_MAX_STEPS of the 16 batches


def test_datasets_and_generators_are_never_read():
    x, y = np.zeros((64, 4), "float32"), np.zeros(64, "int64")
    entry = _fit_hook.first_call_entry(_model(), {"x": iter([x]), "y": y}, {"shuffle": True})
    assert entry["data"] is None and "not an array" in entry["skipped"]
    assert entry["fit"] == {"shuffle": True}


def test_sitecustomize_only_installs_the_module():
    assert "install()" in _fit_hook.SITECUSTOMIZE and "keras" not in _fit_hook.SITECUSTOMIZE
