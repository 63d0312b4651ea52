"""`autofix model saved.keras --data data.npz`: repair a saved model from the command line."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

keras = pytest.importorskip("keras")
from keras import layers

from autofix.cli.model import main

pytestmark = pytest.mark.keras


@pytest.fixture
def saved(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1), layers.Activation("softmax")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model_path = tmp_path / "model.keras"
    model.save(model_path)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6)).astype("float32")
    np.savez(tmp_path / "data.npz", x=x, y=(x[:, 0] > 0).astype("float32"))
    return model_path, tmp_path / "data.npz"


def test_repairs_and_saves_without_verification(saved, tmp_path):
    model_path, data_path = saved
    out = tmp_path / "fixed.keras"
    result = CliRunner().invoke(main, ["model", str(model_path), "--data", str(data_path), "--out", str(out),
                                       "--no-verify"])
    assert result.exit_code == 0, result.output
    assert "AF201" in result.output and f"Saved the repaired model to {out}" in result.output
    fixed = keras.saving.load_model(out)
    assert fixed.layers[-1].get_config()["activation"] == "sigmoid"
    original = keras.saving.load_model(model_path)
    assert original.layers[-1].get_config()["activation"] == "softmax"


@pytest.mark.slow
def test_verified_repair_is_saved(saved, tmp_path):
    model_path, data_path = saved
    result = CliRunner().invoke(main, ["model", str(model_path), "--data", str(data_path), "--budget", "20"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "model.fixed.keras").exists()


def test_bad_inputs_are_usage_errors(saved, tmp_path):
    model_path, data_path = saved
    bogus = tmp_path / "bogus.keras"
    bogus.write_text("not a model")
    runner = CliRunner()
    bad_model = runner.invoke(main, ["model", str(bogus), "--data", str(data_path), "--no-verify"])
    assert bad_model.exit_code == 2 and "cannot load" in bad_model.output
    np.savez(tmp_path / "wrong.npz", a=np.zeros(3))
    bad_data = runner.invoke(main, ["model", str(model_path), "--data", str(tmp_path / "wrong.npz"),
                                    "--no-verify"])
    assert bad_data.exit_code == 2 and "must hold arrays 'x' and 'y'" in bad_data.output
