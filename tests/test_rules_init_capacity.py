"""AF105-AF110 (initialization, dropout, regularization and capacity rules):
each INVALID example's ``message`` and ``line`` on the source path and its
message on the live path, plus the shared value readers in ``rules/_init.py``."""

from __future__ import annotations

import pytest

from autofix.rules import REGISTRY
from autofix.rules._init import initializer, regularizer
from autofix.source.check import check_source
from autofix.rules import select_rules
from autofix.values import Opaque

PRELUDE = "import keras\nfrom keras import layers\nimport numpy as np\n"
CODES = ("AF105", "AF106", "AF107", "AF108", "AF109", "AF110")


def _invalid(path: str):
    for code in CODES:
        for index, example in enumerate(REGISTRY[code].INVALID):
            if (path == "source" and example.graph_only) or (path == "graph" and example.source_only):
                continue
            yield pytest.param(code, example, id=f"{code}-{index}")


@pytest.mark.parametrize("code, example", list(_invalid("source")))
def test_source_message_and_line(code, example):
    assert example.message and example.line, "INVALID examples state message= and line="
    result = check_source(PRELUDE + example.code, "train.py", select_rules([code]), keras_version="3.15.1")
    findings = [f for f in result.findings if f.code == code]
    assert len(findings) == 1, findings
    offset = PRELUDE.count("\n") + (1 if example.code.startswith("\n") else 0)
    assert findings[0].origin.line - offset == example.line
    assert example.message in findings[0].message


@pytest.mark.keras
@pytest.mark.parametrize("code, example", list(_invalid("graph")))
def test_graph_message(code, example):
    keras = pytest.importorskip("keras")
    import autofix
    from autofix.testing import run_live

    keras.backend.clear_session()  # layer names restart at 'dense', as in a fresh script
    live = run_live(example.code)
    findings = autofix.diagnose(live.model, live.x, live.y, fit_kwargs=live.fit_kwargs, select=[code])
    assert [f.code for f in findings] == [code]
    assert example.message in findings[0].message


@pytest.mark.parametrize("value, name, constant", [
    ("zeros", "Zeros", 0.0),
    ("Ones", "Ones", 1.0),
    ({"module": "keras.initializers", "class_name": "Constant", "config": {"value": -2.0},
      "registered_name": None}, "Constant", -2.0),
    (Opaque("keras.initializers.Constant(0.5)"), "Constant", 0.5),
    (Opaque("initializers.RandomNormal(mean=0.3, stddev=0)"), "RandomNormal", 0.3),
    (Opaque("tf.zeros_initializer()"), "Zeros", 0.0),
])
def test_constant_initializers(value, name, constant):
    init = initializer(value)
    assert init is not None and init.name == name and init.constant == constant


@pytest.mark.parametrize("value", [
    "he_normal", Opaque("init"), Opaque("my_module.Zeros()"), Opaque("keras.initializers.Constant(c)"),
    {"module": "my_pkg", "class_name": "Zeros", "config": {}, "registered_name": "my_pkg>Zeros"},
])
def test_unreadable_or_random_initializers_are_not_constant(value):
    init = initializer(value)
    assert init is None or init.constant is None or init.constant.__class__.__name__ == "_Unknown"


def test_random_initializer_spread():
    assert initializer(Opaque("keras.initializers.RandomNormal(0.0, 2.0)")).std == 2.0
    assert abs(initializer(Opaque("RandomUniform(-1.0, 1.0)")).std - 0.5774) < 1e-3
    assert initializer("random_normal").std == 0.05
    # TF's own initializers changed their defaults between TF1 and TF2: not guessed.
    assert not isinstance(initializer(Opaque("tf.random_normal_initializer()")).std, float)


def test_regularizer_rewrites_keep_the_written_form():
    reg = regularizer(Opaque("keras.regularizers.L1L2(l1=1.0, l2=0.01)"))
    assert reg.large(0.1) == {"l1": 1.0}
    assert reg.with_factors({"l1": 1e-4}) == Opaque("keras.regularizers.L1L2(l1=0.0001, l2=0.01)")
    assert regularizer(Opaque("l2(l=0.5)")).with_factors({"l2": 1e-4}) == Opaque("l2(l=0.0001)")
    live = {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.5}, "registered_name": None}
    assert regularizer(live).with_factors({"l2": 1e-4})["config"] == {"l2": 1e-4}
    assert regularizer("l2").large(0.1) == {}
    assert regularizer(Opaque("keras.regularizers.l2(factor)")).large(0.1) == {}
