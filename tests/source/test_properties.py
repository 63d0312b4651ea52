"""Hypothesis: generated scripts never crash the source path, and fixing is idempotent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import PRELUDE, run

ACTIVATIONS = st.sampled_from([None, "relu", "sigmoid", "softmax", "tanh", "linear"])
QUOTES = st.sampled_from(["'", '"'])


@st.composite
def layer(draw, quote):
    kind = draw(st.sampled_from(["Dense", "Conv1D", "Dropout", "BatchNormalization", "Activation", "Flatten"]))
    act = draw(ACTIVATIONS)
    act_arg = f", activation={quote}{act}{quote}" if act else ""
    if kind == "Dense":
        return f"layers.Dense({draw(st.integers(1, 8))}{act_arg})"
    if kind == "Conv1D":
        return f"layers.Conv1D({draw(st.integers(1, 8))}, 3{act_arg})"
    if kind == "Dropout":
        return "layers.Dropout(0.5)"
    if kind == "Activation":
        return f"layers.Activation({quote}{act or 'relu'}{quote})"
    return f"layers.{kind}()"


@st.composite
def script(draw):
    quote = draw(QUOTES)
    body = draw(st.lists(layer(quote), min_size=1, max_size=6))
    style = draw(st.sampled_from(["list", "add"]))
    loss = draw(st.sampled_from(["binary_crossentropy", "categorical_crossentropy", "mse",
                                 "sparse_categorical_crossentropy"]))
    if style == "list":
        items = "".join(f"    {item},\n" for item in body)
        model = f"model = keras.Sequential([\n    keras.Input((16, 4)),\n{items}])\n"
    else:
        model = "model = keras.Sequential()\nmodel.add(keras.Input((16, 4)))\n" + "".join(
            f"model.add({item})\n" for item in body)
    shuffle = draw(st.sampled_from(["", ", shuffle=False", ", batch_size=4"]))
    return (PRELUDE + model + f"model.compile(optimizer={quote}adam{quote}, loss={quote}{loss}{quote})\n"
            + f"model.fit(x, y, epochs=2{shuffle})\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script())
def test_fix_is_idempotent_and_compiles(code):
    first = run(code, fix=True)
    compile(first.fixed, "train.py", "exec")
    second = run(first.fixed, fix=True)
    assert not second.applied
    assert second.fixed == first.fixed
