"""Facts from a few probe steps of training on a fresh, seeded copy of the model.

Only public Keras API (``train_on_batch``, ``model(x, training=...)``,
``keras.ops``), so every Keras 3 backend works.  The user's model is never
trained or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .arms import class_indices, current_learning_rate, fit_settings, fresh_copy

#: Rows and steps of the default probe (a few seconds on a 2-core CPU).
PROBE_ROWS = 256
PROBE_STEPS = 24


@dataclass
class ProbeFacts:
    """What a short probe training showed.

    ``fit_accuracy`` is accuracy in training mode over the batches fit() would
    make; ``eval_accuracy`` is inference-mode accuracy on the same rows.
    ``dead`` maps ReLU layers to the share of units that never fire on a probe
    batch; ``grad_norms`` maps weighted layers to their kernel's gradient norm.
    """

    losses: list[float] = field(default_factory=list)
    fit_accuracy: float | None = None
    eval_accuracy: float | None = None
    majority_share: float | None = None
    true_majority_share: float | None = None
    dead: dict[str, float] = field(default_factory=dict)
    grad_norms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: The optimizer's learning rate during the probe (None when unreadable).
    learning_rate: float | None = None


def _predicted(pred: Any, from_logits: bool = False) -> np.ndarray:
    p = np.asarray(pred, dtype=np.float64).reshape(len(pred), -1)
    return (p[:, 0] > (0.0 if from_logits else 0.5)).astype(np.int64) if p.shape[1] == 1 else p.argmax(1)


def _batches(n: int, batch_size: int, shuffle: bool, rng: np.random.Generator):
    order = rng.permutation(n) if shuffle else np.arange(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _relu_layers(model: Any) -> list[Any]:
    out = []
    for layer in model.layers:
        act = getattr(getattr(layer, "activation", None), "__name__", None)
        if act == "relu" or type(layer).__name__ == "ReLU":
            out.append(layer)
    return out


def dead_units(model: Any, x: np.ndarray) -> dict[str, float]:
    """Share of ReLU units (last axis) that output 0 for every row of ``x``."""
    import keras

    layers = _relu_layers(model)
    if not layers:
        return {}
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    outputs = probe([x] if len(model.inputs) == 1 else x, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    shares = {}
    for layer, value in zip(layers, outputs):
        act = keras.ops.convert_to_numpy(value).reshape(-1, value.shape[-1])
        shares[layer.name] = float(np.mean(np.all(act <= 0, axis=0)))
    return shares


def gradient_norms(model: Any, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Kernel gradient norm per weighted layer: the change one SGD step (lr=1) makes on a copy."""
    import keras

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    copy.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=model.loss)
    kernels = [(layer.name, layer.kernel) for layer in copy.layers if getattr(layer, "kernel", None) is not None]
    before = [keras.ops.convert_to_numpy(k) for _, k in kernels]
    copy.train_on_batch(x, y)
    return {name: float(np.linalg.norm(keras.ops.convert_to_numpy(k) - b))
            for (name, k), b in zip(kernels, before)}


def probe_facts(model: Any, x: Any, y: Any, fit_kwargs: dict | None = None, *, seed: int = 0,
                steps: int = PROBE_STEPS, rows: int = PROBE_ROWS) -> ProbeFacts:
    """Train a fresh copy of ``model`` for ``steps`` batches and measure it."""
    facts = ProbeFacts(learning_rate=current_learning_rate(model))
    settings = fit_settings(fit_kwargs)
    rng = np.random.default_rng(seed)
    xa, ya = np.asarray(x), np.asarray(y)
    keep = np.sort(rng.choice(len(xa), size=min(rows, len(xa)), replace=False))
    xs, ys = xa[keep], ya[keep]
    net = fresh_copy(model, seed)
    batches = _batches(len(xs), settings["batch_size"], bool(settings["shuffle"]), rng)
    for step in range(steps):
        idx = batches[step % len(batches)]
        facts.losses.append(float(np.asarray(net.train_on_batch(xs[idx], ys[idx])).reshape(-1)[0]))
    classes = class_indices(ys)
    if classes is not None:
        logits = bool(getattr(net.loss, "from_logits", False))
        guess = _predicted(net.predict(xs, batch_size=256, verbose=0), logits)
        facts.eval_accuracy = float(np.mean(guess == classes))
        train_hits = [np.mean(_predicted(net(xs[idx], training=True), logits) == classes[idx]) * len(idx)
                      for idx in _batches(len(xs), settings["batch_size"], bool(settings["shuffle"]), rng)]
        facts.fit_accuracy = float(np.sum(train_hits) / len(xs))
        facts.majority_share = float(np.bincount(guess).max() / len(guess))
        facts.true_majority_share = float(np.bincount(classes).max() / len(classes))
    first = xs[: min(64, len(xs))]
    for name, measure in (("dead units", lambda: dead_units(net, first)),
                          ("gradients", lambda: gradient_norms(net, first, ys[: len(first)]))):
        try:
            setattr(facts, "dead" if name == "dead units" else "grad_norms", measure())
        except Exception as exc:  # an exotic graph: report, never fail the probe
            facts.notes.append(f"{name} not measured: {type(exc).__name__}: {exc}"[:200])
    return facts
