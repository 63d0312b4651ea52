"""`autofix-src --diff` on each seed example shows the seed's fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from autofix.cli.src import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: seed folder -> (extra CLI args, text the --diff output must contain)
EXPECTED = {
    "seed_000_bn_gap": (["--unsafe-fixes"], "+    model.add(BatchNormalization(renorm=True))"),
    "seed_001_linear_conv": ([], '+    model.add(Conv2D(32, kernel_size=(3, 3), activation="relu"))'),
    "seed_002_single_unit_softmax": ([], '+    model.add(Activation("sigmoid"))'),
    # a learning rate is display-only: reported with its suggestion, never rewritten
    "seed_003_learning_rate": ([], "AF302"),
    "seed_004_binary_metrics": (["--unsafe-fixes"], "+    model.add(Dense(1, activation='sigmoid'))"),
}


def test_every_seed_has_an_example_and_an_expectation():
    written = sorted(p.parent.name for p in EXAMPLES.glob("seed_*/train.py"))
    assert written == sorted(EXPECTED)


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_seed_example_diff_shows_the_fix(seed):
    path = EXAMPLES / seed / "train.py"
    assert path.is_file(), f"{path} is missing"
    extra, expected = EXPECTED[seed]
    result = CliRunner().invoke(cli, [str(path), "--diff", "--isolated", *extra])
    assert result.exit_code == 1
    assert expected in result.output


def test_seed_002_legacy_script_is_modernised():
    path = EXAMPLES / "seed_002_single_unit_softmax" / "legacy_train.py"
    assert path.is_file(), f"{path} is missing"
    result = CliRunner().invoke(cli, [str(path), "--diff", "--isolated"])
    for text in ("+model.add(Activation('sigmoid'))", "+                    epochs = 100,", "Conv1D"):
        assert text in result.stdout
    assert "+reduce_lr = ReduceLROnPlateau(monitor='val_accuracy'" in result.stdout  # AF502 is fixed
