"""The start-up hook of ``autofix-src --verify`` script runs: seed Keras, cap ``fit()``, record what it saw.

A script run by :func:`autofix.verify.scripts.run_script` starts with a
``sitecustomize.py`` that calls :func:`install`.  From then on every
``keras.Model.fit`` call is capped to ``AUTOFIX_MAX_STEPS`` batches (and to
:func:`epoch_cap` epochs: ``AUTOFIX_MAX_EPOCHS``, or as many as those batches
fill when the epochs are shorter, as the live path's arms train), and appends its History to ``AUTOFIX_HISTORY``
(one JSON line per call) with, under :data:`SCORE_KEY`, a task score from
``model.predict`` that does not depend on the compiled loss or metrics
(:func:`autofix.training.task_score.score_fit`).  The first call also
records, in ``AUTOFIX_FACTS``, the model's layer classes, the fit() settings
it received and the data facts of ``x``/``y`` (numpy arrays and tensors only:
datasets and generators are never read).  Keras is imported only by
:func:`install`.
"""

from __future__ import annotations

import inspect
import json
import math
import os
from typing import Any

from .task_score import arrayish, score_fit


def steps_per_epoch(arguments: dict[str, Any], defaults: dict[str, Any]) -> int | None:
    """The batches one epoch of this fit() call makes, or None when not known (datasets, generators)."""
    given = arguments.get("steps_per_epoch")
    if isinstance(given, int) and given > 0:
        return given
    x = arguments.get("x")
    if not arrayish(x) or not getattr(x, "shape", None):
        return None
    batch = arguments.get("batch_size", defaults.get("batch_size")) or 32
    split = arguments.get("validation_split", defaults.get("validation_split")) or 0.0
    rows = int(math.floor(int(x.shape[0]) * (1.0 - float(split))))
    return max(1, math.ceil(rows / int(batch))) if rows else None


def epoch_cap(arguments: dict[str, Any], defaults: dict[str, Any], max_steps: int, max_epochs: int) -> int:
    """The epochs a capped fit() call may run: at least ``max_epochs``, more when its epochs are
    shorter than ``max_steps / max_epochs`` batches, so that a capped run makes ``max_steps`` updates
    whatever the batch size (a full-batch script is not judged on 5 updates); never more than asked."""
    asked = int(arguments.get("epochs", defaults.get("epochs")) or 1)
    per_epoch = steps_per_epoch(arguments, defaults)
    cap = max(max_epochs, math.ceil(max_steps / per_epoch)) if per_epoch else max_epochs
    return min(asked, cap)


def first_call_entry(model: Any, arguments: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """What the first fit() call shows: model class, layer classes, fit settings, data facts."""
    x, y = arguments.get("x"), arguments.get("y")
    entry: dict[str, Any] = {
        "call": 1, "model": type(model).__name__,
        "layers": [type(layer).__name__ for layer in getattr(model, "layers", [])],
        "fit": {k: v for k in ("epochs", "batch_size", "shuffle")
                for v in [arguments.get(k, defaults.get(k))] if isinstance(v, (bool, int, float))},
        "data": None,
    }
    # as the source path and the live path record it: True for validation_data, else validation_split's fraction
    split = arguments.get("validation_split", defaults.get("validation_split"))
    entry["fit"]["validation"] = (True if arguments.get("validation_data") is not None
                                  else float(split) if isinstance(split, (int, float)) and split else False)
    try:
        if arrayish(x):
            from ..data import data_facts, data_to_json

            facts = data_facts(x, y if arrayish(y) else None)
            entry["data"] = data_to_json(facts) if facts is not None else None
        else:
            entry["skipped"] = "x is not an array (dataset or generator): no data facts"
    except Exception as exc:  # facts are a bonus: never break the user's run
        entry["skipped"] = f"data facts failed: {exc!r}"
    return entry


#: Scores every call's labels as this kind (set by verification to score an original like its rewrite).
LABEL_KIND_ENV = "AUTOFIX_LABEL_KIND"
#: The key of a History record that holds the call's task score (:func:`.task_score.score_fit`).
SCORE_KEY = "autofix_score"


def _score(model: Any, arguments: dict[str, Any], seed: int) -> dict[str, Any]:
    try:
        return score_fit(model, arguments, seed, kind=os.environ.get(LABEL_KIND_ENV) or None)
    except Exception as exc:  # the score is a bonus: never break the user's run
        return {"skipped": f"scoring failed: {exc!r}"}


def _append(path: str | None, record: dict[str, Any]) -> None:
    if path:
        with open(path, "a") as out:
            out.write(json.dumps(record) + "\n")


def install(env: dict[str, str] | None = None) -> None:
    """Seed Keras and replace ``keras.Model.fit`` with the capped, recording version."""
    import keras

    env = os.environ if env is None else env
    seed = int(env.get("AUTOFIX_SEED", "0"))
    keras.utils.set_random_seed(seed)
    original = keras.Model.fit
    signature = inspect.signature(original)
    defaults = {k: p.default for k, p in signature.parameters.items()}
    max_steps, max_epochs = int(env["AUTOFIX_MAX_STEPS"]), int(env["AUTOFIX_MAX_EPOCHS"])
    calls = [0]

    class _Cap(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.steps = 0

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            self.steps += 1
            if self.steps >= max_steps:
                self.model.stop_training = True

    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        calls[0] += 1
        if calls[0] == 1:
            _append(env.get("AUTOFIX_FACTS"), first_call_entry(self, bound.arguments, defaults))
        bound.arguments["epochs"] = epoch_cap(bound.arguments, defaults, max_steps, max_epochs)
        bound.arguments["callbacks"] = [*(bound.arguments.get("callbacks") or []), _Cap()]
        history = original(*bound.args, **bound.kwargs)
        record: dict[str, Any] = {k: [float(v) for v in values] for k, values in history.history.items()}
        record[SCORE_KEY] = _score(self, bound.arguments, seed)
        _append(env.get("AUTOFIX_HISTORY"), record)
        return history

    keras.Model.fit = fit


#: The whole ``sitecustomize.py`` a script run starts with.
SITECUSTOMIZE = "from autofix.training._fit_hook import install\n\ninstall()\n"
