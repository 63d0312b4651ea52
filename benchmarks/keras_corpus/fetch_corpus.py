"""Export keras-team/keras ``examples/`` at fixed revisions into ``corpus/<tag>/``.

Usage::

    python benchmarks/keras_corpus/fetch_corpus.py /path/to/keras.git
    KERAS_GIT_DIR=/path/to/keras.git python benchmarks/keras_corpus/fetch_corpus.py

The argument (or ``$KERAS_GIT_DIR``) is a git directory of keras-team/keras: a
bare mirror (``git clone --mirror https://github.com/keras-team/keras``) or the
``.git`` of a normal clone.  Nothing is checked out; blobs are read with
``git --git-dir=... archive``.

Revisions exported:

* ``1.2.2``  - the last Keras 1 release (Keras 1 API throughout);
* ``2.3.1``  - the last multi-backend Keras 2 release (correct Keras 2 code);
* ``keras3`` - the default branch HEAD's ``examples/`` (Keras 3), when present.

The corpus is third-party code (MIT-licensed Keras examples): ``corpus/`` is
git-ignored and must never be committed.  ``corpus/REVISIONS.txt`` records the
commit each directory came from.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
TAGS = ["1.2.2", "2.3.1"]
HEAD_NAME = "keras3"


def git(git_dir: Path, *args: str, binary: bool = False):
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode()


def has_examples(git_dir: Path, rev: str) -> bool:
    try:
        out = git(git_dir, "ls-tree", rev, "examples")
    except RuntimeError:
        return False
    return bool(out.strip()) and " tree " in out


def export(git_dir: Path, rev: str, name: str) -> tuple[str, int]:
    commit = git(git_dir, "rev-parse", f"{rev}^{{commit}}").strip()
    data = git(git_dir, "archive", "--format=tar", commit, "examples", binary=True)
    dest = CORPUS / name
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if not member.isfile():
                continue
            rel = Path(member.name).relative_to("examples")
            if ".." in rel.parts:
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
            count += target.suffix == ".py"
    return commit, count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("git_dir", nargs="?", default=os.environ.get("KERAS_GIT_DIR"),
                        help="git directory of keras-team/keras (default: $KERAS_GIT_DIR)")
    args = parser.parse_args(argv)
    if not args.git_dir:
        parser.error("no Keras git directory: pass it as an argument or set KERAS_GIT_DIR "
                     "(e.g. `git clone --mirror https://github.com/keras-team/keras keras.git`)")
    git_dir = Path(args.git_dir).expanduser()
    if not git_dir.exists():
        parser.error(f"{git_dir} does not exist")
    try:
        git(git_dir, "rev-parse", "--git-dir")
    except RuntimeError as exc:
        parser.error(f"{git_dir} is not a git directory ({exc})")

    revisions = [(tag, tag) for tag in TAGS]
    try:
        head = git(git_dir, "symbolic-ref", "--short", "HEAD").strip()
    except RuntimeError:  # detached HEAD
        head = "detached"
    if has_examples(git_dir, "HEAD"):
        revisions.append(("HEAD", HEAD_NAME))
    else:
        print(f"note: default branch {head} has no examples/ directory; skipping Keras 3", file=sys.stderr)

    CORPUS.mkdir(exist_ok=True)
    lines = []
    for rev, name in revisions:
        if not has_examples(git_dir, rev):
            print(f"error: {rev} not found or has no examples/ in {git_dir}", file=sys.stderr)
            return 1
        commit, count = export(git_dir, rev, name)
        label = f"{rev} ({head})" if rev == "HEAD" else rev
        lines.append(f"{name}\t{label}\t{commit}\t{count} .py files")
        print(f"corpus/{name}: {count} .py files from {label} {commit[:12]}")
    (CORPUS / "REVISIONS.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
