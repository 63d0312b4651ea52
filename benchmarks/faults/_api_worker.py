"""Runs autofix's Python API on one protocol script (a subprocess of run.py).

    python benchmarks/faults/_api_worker.py diagnose SCRIPT [SCRIPT ...]   # one AFJSON line per script
    python benchmarks/faults/_api_worker.py fix SCRIPT [--budget SECONDS] [--seed N]

Imports SCRIPT as a module, calls ``make_data()`` and ``build_model()`` (a wrapper object holding
``.model`` is unwrapped), and takes the fit settings from the module's ``FIT`` dict plus what the
script's own first ``fit()`` call passes beside it (callbacks, ``validation_data``: ``train()`` runs up
to that call, which is captured, not made), as a user passes their fit() settings.

* ``diagnose``: ``autofix.diagnose(model, x, y, fit_kwargs=FIT)``.
* ``fix``: ``autofix.fix(model, x, y, fit_kwargs=FIT, verify=True, budget=...)``, then trains the
  repaired model the script's own way: the wrapper's ``.model`` is replaced, the seed is reset,
  ``train(...)`` and ``score(...)`` are called, with ``result.fit_kwargs`` overriding what the script's
  fit() calls pass (the user applying the returned settings to their call). When
  the repair turned a 2-column one-hot head into one unit, the labels are converted with argmax
  (autofix's notes ask the user to do so); data fixes are applied with ``result.prepare`` to the training
  and the held-out arrays (the summary asks the user to).

The last stdout line is ``AFJSON <json>``; an exception inside autofix is reported in the JSON
(``error`` + ``traceback``) rather than as a crash.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import time
import traceback


def load(path):
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    name = "_fault_" + os.path.basename(path).replace(".", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def unwrap(obj):
    import keras

    return obj if isinstance(obj, keras.Model) else obj.model


class _Captured(Exception):
    pass


def script_fit_settings(mod, obj, data, fit):
    """The settings the script's own first ``fit()`` call passes beside ``FIT`` (callbacks, validation
    data): ``train()`` runs up to that call, which is captured and not made. What a user of the API passes
    as ``fit_kwargs``."""
    import keras

    seen = {}
    real = keras.Model.fit

    def capture(self, *args, **kwargs):
        seen.update(kwargs)
        raise _Captured

    keras.Model.fit = capture
    try:
        mod.train(obj, data)
    except _Captured:
        pass
    except Exception:  # a train() that needs more than this: only FIT is passed
        seen.clear()
    finally:
        keras.Model.fit = real
    skip = {"x", "y", "verbose", *fit}
    return {k: v for k, v in seen.items() if k not in skip}


@contextlib.contextmanager
def fit_overridden(settings):
    """The script's ``fit()`` calls made with ``settings`` (the repair's ``result.fit_kwargs``) in place of
    what they pass: the user applying the returned settings to their own call."""
    import keras

    real = keras.Model.fit

    def fit(self, *args, **kwargs):
        return real(self, *args, **{**kwargs, **settings})

    keras.Model.fit = fit
    try:
        yield
    finally:
        keras.Model.fit = real


def finding_dict(f):
    return {"code": f.code, "severity": str(getattr(f.severity, "value", f.severity)),
            "message": f.message[:300], "fixable": bool(f.fixable)}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("diagnose", "fix"))
    ap.add_argument("script", nargs="+")
    ap.add_argument("--budget", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.mode == "fix" and len(args.script) != 1:
        ap.error("fix takes one script")
    for script in args.script:
        one(args, script)


def one(args, script):
    os.environ["SEED"] = str(args.seed)
    out: dict = {"mode": args.mode, "script": script}
    t0 = time.perf_counter()
    try:
        import numpy as np
        import keras

        import autofix

        keras.utils.set_random_seed(args.seed)
        keras.backend.clear_session()
        mod = load(script)
        data = mod.make_data()
        (x, y), (xt, yt) = data
        obj = mod.build_model()
        model = unwrap(obj)
        fit = dict(getattr(mod, "FIT", {}))
        passed = script_fit_settings(mod, obj, data, fit)
        validation = passed.pop("validation_data", None)
        fit.update(passed)
        out["fit"] = {k: (v if isinstance(v, (int, float, str, bool)) else repr(v)) for k, v in fit.items()}
        t1 = time.perf_counter()
        if args.mode == "diagnose":
            findings = autofix.diagnose(model, x, y, fit_kwargs=fit)
            out["findings"] = [finding_dict(f) for f in findings]
        else:
            result = autofix.fix(model, x, y, fit_kwargs=fit, validation_data=validation, verify=True,
                                 budget=args.budget, seed=args.seed)
            out["findings"] = [finding_dict(f) for f in result.findings]
            out["changed"] = bool(result.changed)
            out["applied"] = [f.code for f, _fix in result.applied]
            out["fit_kwargs"] = {k: repr(v) for k, v in (result.fit_kwargs or {}).items()}
            out["notes"] = [str(n)[:300] for n in result.notes]
            out["fix_seconds"] = round(time.perf_counter() - t1, 2)
            out["data_edits"] = [e.op for e in result.data_edits]
            if result.changed:
                fixed = result.model
                if result.data_edits:  # the summary asks the user to train (and score) on result.prepare(x, y)
                    (x, y), (xt, yt) = result.prepare(x, y), result.prepare(xt, yt)
                    data = ((x, y), (xt, yt))
                out_units = int(fixed.outputs[0].shape[-1])
                if out_units == 1 and getattr(y, "ndim", 1) == 2 and y.shape[1] == 2:
                    data = ((x, y.argmax(-1).astype("float32")), (xt, yt.argmax(-1).astype("float32")))
                    out["labels_converted"] = True
                if obj is model:
                    obj = fixed
                else:
                    obj.model = fixed
                keras.utils.set_random_seed(args.seed)
                t2 = time.perf_counter()
                with fit_overridden(result.fit_kwargs or {}):
                    mod.train(obj, data)
                out["score"] = float(mod.score(obj, data))
                out["train_seconds"] = round(time.perf_counter() - t2, 2)
                if not np.isfinite(out["score"]):
                    out["score"] = None
    except Exception as exc:  # reported, not raised: the harness counts autofix crashes
        out["error"] = f"{type(exc).__name__}: {exc}"[:500]
        out["traceback"] = traceback.format_exc()[-3000:]
    out["seconds"] = round(time.perf_counter() - t0, 2)
    print("AFJSON " + json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
