"""Everything ``autofix-src`` imports, ``--verify`` included, starts without TensorFlow or Keras."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "autofix"
#: Whole packages autofix-src may import (every module in them), plus the single modules it uses.
PACKAGES = ["source", "rules", "strategies", "output", "training"]
MODULES = ["autofix.cli.src", "autofix.cli.verify_src", "autofix.cli._jobs", "autofix.verify",
           "autofix.verify.scripts", "autofix.verify.script_search", "autofix.verify.progress",
           "autofix.verify.verdict", "autofix.verify.plan", "autofix.verify.symptoms",
           *sorted("autofix." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
                   for package in PACKAGES for path in (PACKAGE / package).rglob("*.py"))]


def test_source_path_modules_never_import_tensorflow_or_keras():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in MODULES)
            + "print(sorted(m for m in ('keras', 'tensorflow', 'jax', 'torch') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_check_loads_numpy_only_for_a_script_that_fits_a_model(tmp_path):
    # the static data facts (numpy) are read only where a fit() call can use them: start-up stays short
    model = tmp_path / "model.py"
    model.write_text("import keras\nmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])\n")
    trained = tmp_path / "train.py"
    trained.write_text(model.read_text() + "model.compile(loss='mse')\nmodel.fit(x, y, epochs=3)\n")
    code = ("import sys\nfrom autofix.cli.src import cli\nfor path in sys.argv[1:]:\n"
            "    try:\n        cli.main([path, '--isolated'], standalone_mode=False)\n    except SystemExit:\n        pass\n"
            "    print('numpy' in sys.modules, 'keras' in sys.modules or 'tensorflow' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code, str(model), str(trained)], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert [line for line in out if line in ("True False", "False False", "True True", "False True")] == \
        ["False False", "True False"], out


def test_autofix_src_never_tries_to_import_tensorflow_or_keras(tmp_path):
    """Every autofix-src mode, run with an import hook that refuses (and records) any attempt to import
    TensorFlow, Keras, JAX or torch: a swallowed attempt would pass the sys.modules check above."""
    script = tmp_path / "train.py"
    script.write_text("import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Dense\n"
                      "x = np.random.rand(64, 4)\ny = np.random.randint(0, 3, 64)\n"
                      "model = Sequential([Dense(3, activation='sigmoid', input_dim=4)])\n"
                      "model.compile(loss='categorical_crossentropy', optimizer='sgd')\n"
                      "model.fit(x, y, nb_epoch=2)\n")
    hook = ("import sys\nattempts = []\nclass Refuse:\n    def find_spec(self, name, path=None, target=None):\n"
            "        if name.split('.')[0] in ('tensorflow', 'keras', 'jax', 'torch'):\n"
            "            attempts.append(name)\n            raise ImportError(name)\n"
            "sys.meta_path.insert(0, Refuse())\nfrom autofix.cli.src import cli\n"
            "for args in (['--isolated'], ['--diff', '--unsafe-fixes', '--isolated'], ['--format', 'json', '--isolated'],"
            " ['--fix', '--unsafe-fixes', '--isolated']):\n"
            "    try:\n        cli.main([sys.argv[1], *args], standalone_mode=False)\n    except SystemExit:\n        pass\n"
            "print('ATTEMPTS', attempts)\n")
    out = subprocess.run([sys.executable, "-c", hook, str(script)], capture_output=True, text=True, check=True)
    assert "ATTEMPTS []" in out.stdout, out.stdout[-2000:] + out.stderr[-2000:]
    assert "epochs=2" in script.read_text()  # --fix ran and wrote the Keras 1 rename
