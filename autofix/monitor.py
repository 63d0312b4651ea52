"""``autofix.Monitor``: a Keras callback that reports findings during a real ``fit()``.

It only reads: the static rules run once at the start, then each epoch the
training-probe rules (AF6xx) run on the losses seen so far and, when
``data=(x, y)`` is given, on inference-mode predictions for those rows. It
never stops training or changes weights.
"""

from __future__ import annotations

from typing import Any, Callable

import keras
import numpy as np

from .findings import Finding
from .probe import detect
from .training.probe import ProbeFacts, _predicted
from .training.arms import class_indices, current_learning_rate


class Monitor(keras.callbacks.Callback):
    """Watch a training run and report each new finding once.

    Args:
        data: optional ``(x, y)`` rows (a few hundred are enough) on which
            inference-mode accuracy and class collapse are measured per epoch.
        print_fn: where messages go (default ``print``); ``None`` keeps quiet.
        static: run the static rules on the model when training starts.

    ``monitor.findings`` holds everything reported, in order.
    """

    def __init__(self, data: tuple[Any, Any] | None = None, print_fn: Callable[[str], Any] | None = print,
                 static: bool = True):
        super().__init__()
        self.data = data
        self.print_fn = print_fn
        self.static = static
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str]] = set()
        self._losses: list[float] = []

    def _report(self, findings: list[Finding], when: str) -> None:
        for finding in findings:
            key = (finding.code, finding.origin.render())
            if key in self._seen:
                continue
            self._seen.add(key)
            self.findings.append(finding)
            if self.print_fn:
                self.print_fn(f"autofix.Monitor ({when}): {finding.render()}")

    def on_train_begin(self, logs=None):
        if self.static:
            from .api import diagnose

            x, y = self.data if self.data is not None else (None, None)
            self._report(diagnose(self.model, x, y), "start")

    def on_train_batch_end(self, batch, logs=None):
        if logs and "loss" in logs:
            self._losses.append(float(logs["loss"]))

    def on_epoch_end(self, epoch, logs=None):

        logs = logs or {}
        facts = ProbeFacts(losses=list(self._losses), learning_rate=current_learning_rate(self.model))
        if self.data is not None and logs.get("accuracy") is not None:
            x, y = (np.asarray(v) for v in self.data)
            classes = class_indices(y)
            if classes is not None:
                guess = _predicted(self.model.predict(x, batch_size=256, verbose=0),
                                   bool(getattr(self.model.loss, "from_logits", False)))
                facts.fit_accuracy, facts.eval_accuracy = float(logs["accuracy"]), float(np.mean(guess == classes))
                facts.majority_share = float(np.bincount(guess).max() / len(guess))
                facts.true_majority_share = float(np.bincount(classes).max() / len(classes))
        self._report(detect(facts), f"epoch {epoch + 1}")
