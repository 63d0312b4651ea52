"""Everything ``autofix-src`` imports, ``--verify`` included, starts without TensorFlow or Keras."""

from __future__ import annotations

import subprocess
import sys

MODULES = ["autofix.cli.src", "autofix.cli.verify_src", "autofix.verify", "autofix.verify.scripts",
           "autofix.verify.symptoms", "autofix.source.check", "autofix.source.rewrite", "autofix.output",
           "autofix.rules", "autofix.strategies"]


def test_source_path_modules_never_import_tensorflow_or_keras():
    code = ("import sys\n" + "".join(f"import {m}\n" for m in MODULES)
            + "print(sorted(m for m in ('keras', 'tensorflow', 'jax', 'torch') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
