"""AF305 on the live path: the fix sets patience on a copy of the caller's EarlyStopping, nothing else."""

from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")

import numpy as np  # noqa: E402

import autofix  # noqa: E402
from autofix.rules import REGISTRY  # noqa: E402
from autofix.testing import run_live  # noqa: E402

pytestmark = pytest.mark.keras


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def test_fix_copies_the_callback_and_keeps_its_other_settings():
    live = run_live(REGISTRY["AF305"].INVALID[0].code)
    callback = live.fit_kwargs["callbacks"][0]
    result = autofix.fix(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=["AF305"])
    fixed = result.fit_kwargs["callbacks"][0]
    assert callback.patience == 0
    assert (type(fixed), fixed.patience, fixed.min_delta, fixed.monitor, fixed.restore_best_weights) == \
        (type(callback), 10, callback.min_delta, "val_loss", callback.restore_best_weights)


@pytest.mark.parametrize("kwargs, found", [
    ({"epochs": 30, "validation_split": 0.2}, True),
    ({"epochs": 30}, False),  # val_loss is never logged: the callback never acts
    ({"validation_split": 0.2}, False),  # epochs not given: skipped, not guessed
])
def test_live_detection_needs_validation_and_epochs(kwargs, found):
    fit_kwargs = {**kwargs, "callbacks": [keras.callbacks.EarlyStopping()]}
    x, y = np.zeros((8, 4)), np.zeros(8)
    findings = autofix.diagnose(_model(), x, y, fit_kwargs=fit_kwargs, select=["AF305"])
    assert [f.code for f in findings] == (["AF305"] if found else [])
