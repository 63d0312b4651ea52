"""autofix quick start: diagnose and repair the seed-002 model ("my binary CNN always predicts 1").

Builds the user's model from ``seed_002_single_unit_softmax/train.py`` on its
synthetic data, prints what ``autofix.diagnose`` finds, repairs it with
``autofix.fix`` and trains the original and the repaired model for the same
short budget with the same seed.

Run: ``python examples/quickstart.py`` (about 20-30 s on 2 CPU cores).
"""

import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import warnings  # noqa: E402

import keras  # noqa: E402

import _common  # noqa: E402
import autofix  # noqa: E402

warnings.filterwarnings("ignore", message=".*softmax over axis -1.*")  # Keras's own hint, see below


def main():
    example = _common.load_example("seed_002_single_unit_softmax")
    x_train, y_train, x_test, y_test = data = example.make_data()
    model = example.build_model()
    fit_kwargs = dict(example.FIT_KWARGS)

    print("== autofix.diagnose(model, x, y, fit_kwargs=...)")
    for finding in autofix.diagnose(model, x_train, y_train, fit_kwargs=fit_kwargs):
        print(finding.render())

    print("\n== autofix.fix(model, x, y, fit_kwargs=...).summary()")
    result = autofix.fix(model, x_train, y_train, fit_kwargs=fit_kwargs)
    result.summary()

    print("\n== train both for", fit_kwargs["epochs"], "epochs, same seed")
    figures = {}
    for label, candidate, kwargs in (("original", model, fit_kwargs),
                                     ("fixed", result.model, {**fit_kwargs, **result.fit_kwargs})):
        keras.utils.set_random_seed(0)
        candidate.fit(x_train, y_train, validation_data=(x_test, y_test), **kwargs)
        figures[label] = found = example.symptom(candidate, data)
        print(f"{label:8s}: test accuracy {found['test_accuracy']:.3f}, predicts class "
              f"{found['predicted_class']} for {found['predicted_share']:.0%} of test inputs")
    print(f"\n(share of class 1 in the test set: {figures['original']['share_of_ones_in_test']:.3f}, "
          "the accuracy of always answering 1)")
    return figures


if __name__ == "__main__":
    main()
