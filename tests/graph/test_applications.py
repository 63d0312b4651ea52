"""No false alarms: every keras.applications architecture diagnoses clean."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import autofix
from autofix.findings import Severity

pytestmark = pytest.mark.keras

FAST = ["ResNet50", "VGG16", "MobileNetV2", "EfficientNetB0", "DenseNet121", "InceptionV3",
        "Xception", "ConvNeXtTiny"]
MORE = ["MobileNetV3Small", "EfficientNetV2B0", "ResNet50V2", "VGG19", "NASNetMobile",
        "InceptionResNetV2", "DenseNet169", "ResNet101", "MobileNet", "EfficientNetB3"]


def _check(name: str) -> None:
    model = getattr(keras.applications, name)(weights=None)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    shape = tuple(d or 224 for d in model.input_shape[1:])
    rng = np.random.default_rng(0)
    x = rng.random((24, *shape), dtype=np.float32) * 2 - 1
    y = np.eye(1000, dtype=np.float32)[rng.integers(0, 1000, 24)]
    findings = autofix.diagnose(model, x, y, fit_kwargs={"batch_size": 32, "epochs": 10})
    loud = [f.render() for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    assert loud == [], loud


@pytest.mark.parametrize("name", FAST)
def test_application_has_no_warnings(name):
    _check(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", MORE)
def test_more_applications_have_no_warnings(name):
    _check(name)


def test_fix_leaves_a_correct_application_unchanged():
    model = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3), classes=10)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    result = autofix.fix(model)
    assert result.applied == [] and result.model is model and not result.changed
