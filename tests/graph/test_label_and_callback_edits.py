"""Live path: a fix that needs other labels says so; callback fixes never touch the caller's callbacks."""

from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")

import numpy as np  # noqa: E402

import autofix  # noqa: E402
from autofix.rules import REGISTRY  # noqa: E402
from autofix.testing import run_live  # noqa: E402

pytestmark = pytest.mark.keras


def test_two_unit_to_sigmoid_fix_reports_label_encoding():
    live = run_live(REGISTRY["AF206"].INVALID[0].code)
    result = autofix.fix(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=["AF206"])
    assert result.label_encoding == "indices"
    lines = result.summary_lines()
    assert "labels: pass class indices 0/1, e.g. y.argmax(-1)" in lines
    assert result.to_dict()["label_encoding"] == "indices"
    result.model.fit(live.x, np.asarray(live.y).argmax(-1), epochs=1, verbose=0)  # the advice works


def test_sparse_labels_need_no_relabelling():
    live = run_live(REGISTRY["AF206"].INVALID[0].code.replace('"categorical_crossentropy"',
                                                            '"sparse_categorical_crossentropy"'))
    result = autofix.fix(live.model, select=["AF206"])
    assert result.applied and result.label_encoding is None


def test_callback_fix_copies_the_callback():
    live = run_live(REGISTRY["AF502"].INVALID[0].code)
    callback = live.fit_kwargs["callbacks"][0]
    result = autofix.fix(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=["AF502"])
    assert callback.monitor == "val_acc"
    assert result.fit_kwargs["callbacks"][0].monitor == "val_accuracy"
    assert type(result.fit_kwargs["callbacks"][0]) is type(callback)
