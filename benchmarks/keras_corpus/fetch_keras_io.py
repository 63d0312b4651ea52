"""Export the keras_io corpus (keras_io_list.txt) from a keras-team/keras-io git directory.

    python benchmarks/keras_corpus/fetch_keras_io.py /tmp/keras-io.git

Each file is ``git show <commit>:<path>`` with its Markdown prose cells (module-level string
statements) removed and runs of blank lines cut to two. The output, ``corpus/keras_io/``, is
third-party code and git-ignored: never commit it.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIST = HERE / "keras_io_list.txt"
OUT = HERE / "corpus" / "keras_io"


def entries(text: str) -> list[tuple[str, str, str]]:
    """(local name, repository path, commit) for each non-comment line of the list."""
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [(row[0], row[1], row[2]) for row in rows]


def strip_prose(code: str) -> str:
    """Drop module-level string statements (the example's prose cells); keep the code as written."""
    lines = code.splitlines()
    drop: set[int] = set()
    for node in ast.parse(code).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            drop.update(range(node.lineno - 1, node.end_lineno))
    kept = "\n".join(line for index, line in enumerate(lines) if index not in drop)
    return re.sub(r"\n{4,}", "\n\n\n", kept).strip("\n") + "\n"


def main(git_dir: str) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, path, commit in entries(LIST.read_text()):
        code = subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                              check=True, capture_output=True, text=True).stdout
        (OUT / name).write_text(strip_prose(code))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
