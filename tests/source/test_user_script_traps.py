"""False alarms and intent-changing rewrites found on real users' scripts (benchmarks/user_corpus/README.md).

Each test is a minimal reproducer of an idiom those scripts use, written for this suite (no
corpus code): the rule named stays silent on the valid idiom, or the rewrite keeps the script's
intent; a twin with the fault keeps the finding.
"""

from __future__ import annotations

from helpers import PRELUDE, run


def _codes(code: str) -> list[str]:
    return [finding.code for finding in run(PRELUDE + code).findings]


_DENOISING = """
(x_train, _), (x_test, _) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32"){test_scale}
noisy_train = np.clip(x_train + np.random.normal(0, 0.2, size=x_train.shape), 0, 1)
noisy_test = np.clip(x_test + np.random.normal(0, 0.2, size=x_test.shape), 0, 1)
model = keras.Sequential([keras.Input((784,)), layers.Dense(64, activation="relu"),
                          layers.Dense(784, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(noisy_train, x_train, epochs=1)
restored = model.predict(noisy_test)
"""


def test_af410_noise_drawn_with_each_splits_own_shape():
    # A denoising autoencoder: both splits get the same noise, each drawn with `size=` its own
    # shape; the operand texts differ only in which array's shape they read. Also, fit()'s
    # target (the clean x_train) has no held-out counterpart: predict()'s argument is an input.
    assert "AF410" not in _codes(_DENOISING.format(test_scale=" / 255.0"))


def test_af410_denoising_autoencoder_with_an_unscaled_test_split_is_still_found():
    findings = [f for f in run(PRELUDE + _DENOISING.format(test_scale="")).findings if f.code == "AF410"]
    assert findings and all("fit()'s x" in f.message for f in findings)
