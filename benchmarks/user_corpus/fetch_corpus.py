"""Export real users' Keras training scripts from public GitHub repositories into ``corpus/``.

Usage::

    python benchmarks/user_corpus/fetch_corpus.py MIRRORS_DIR      # git dirs already on disk
    python benchmarks/user_corpus/fetch_corpus.py --clone CACHE    # git clone --mirror each repo into CACHE

``MIRRORS_DIR`` holds one git directory per repository, named ``owner+name`` (a bare
mirror, or a clone whose ``.git`` is inside; ``owner+name/repo`` is looked at too).
Nothing is checked out: every file is read with ``git show <commit>:<path>`` at the
commit pinned in :data:`REPOS`, so the corpus is the same on every machine.

The corpus is third-party code: ``corpus/`` is git-ignored and must never be committed.
``corpus/REVISIONS.txt`` records each repository, its commit and the number of files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


@dataclass(frozen=True)
class Repo:
    """One repository: ``folders`` are path prefixes ('' = the whole tree); of the ``.py`` files
    under them (sorted by path), every ``step``-th one is exported (1 = all)."""

    slug: str
    commit: str
    folders: tuple[str, ...] = ("",)
    step: int = 1
    style: str = ""


REPOS = [
    Repo("keras-team/keras-contrib", "3fc5ef709e061416f4bc8a92ca3750c824b5d2b0", ("examples/",),
         style="Keras 2 + contrib layers"),
    Repo("philipperemy/keras-tcn", "7576256b8b2a138b88ae2483b8616681686e424f", ("tasks/",),
         style="tf.keras, custom TCN layer"),
    Repo("titu1994/LSTM-FCN", "0f258c740c4371c7ab50dea2bb5ce0d30c8576f2", style="Keras 2, helper modules"),
    Repo("titu1994/Snapshot-Ensembles", "020a393dd7d3ab4ac74e86a6ade7d1f5a83d6144", style="Keras 1/2"),
    Repo("titu1994/Wide-Residual-Networks", "f71925796aa754ecfe50fa005da5e3773543d894", style="Keras 1"),
    Repo("jacobgil/keras-dcgan", "060363909ad375545f25296b39253e019c3c5a55", style="Keras 1 GAN"),
    Repo("osh/KerasGAN", "017014734eb4cabaf022b0488ea6d8a0ab297082", style="Keras 1 GAN"),
    Repo("JS0909/Keras-ML", "11ee95e8e7a7cb3d2e1486438bc981518847a256", ("keras/",), step=10,
         style="tf.keras course exercises"),
    Repo("JS0909/Keras-ML", "11ee95e8e7a7cb3d2e1486438bc981518847a256", ("tf_cert/", "AE/"),
         style="tf.keras exam practice, autoencoders"),
    Repo("SEONGMIN-96/KERAS_STUDY", "8400df71ffe662cf4509c5c27963b44f602a34d1", ("keras/",), step=10,
         style="tf.keras course exercises"),
]


def git(git_dir: Path, *args: str, binary: bool = False):
    proc = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout if binary else proc.stdout.decode()


def find_git_dir(root: Path, slug: str) -> Path | None:
    base = root / slug.replace("/", "+")
    for cand in (base, base / ".git", base / "repo", base / "repo" / ".git"):
        if (cand / "HEAD").exists() and (cand / "objects").exists():
            return cand
    return None


def clone(cache: Path, slug: str) -> Path:
    dest = cache / slug.replace("/", "+")
    if not dest.exists():
        subprocess.run(["git", "clone", "--mirror", f"https://github.com/{slug}", str(dest)], check=True)
    return dest


def selected(git_dir: Path, repo: Repo) -> list[str]:
    paths = git(git_dir, "ls-tree", "-r", "--name-only", repo.commit).splitlines()
    py = sorted(p for p in paths if p.endswith(".py") and any(p.startswith(f) for f in repo.folders))
    return py[::repo.step]


def export(git_dir: Path, repo: Repo) -> int:
    dest = CORPUS / repo.slug.replace("/", "__")
    count = 0
    for path in selected(git_dir, repo):
        target = dest / path
        if ".." in Path(path).parts:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(git_dir, "show", f"{repo.commit}:{path}", binary=True))
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirrors", nargs="?", type=Path, help="directory of git dirs named owner+name")
    parser.add_argument("--clone", type=Path, metavar="CACHE", help="git clone --mirror missing repos here")
    args = parser.parse_args(argv)
    if not args.mirrors and not args.clone:
        parser.error("pass MIRRORS_DIR or --clone CACHE")
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir()
    lines = []
    for repo in REPOS:
        git_dir = find_git_dir(args.mirrors, repo.slug) if args.mirrors else None
        if git_dir is None and args.clone:
            git_dir = clone(args.clone, repo.slug)
        if git_dir is None:
            print(f"error: no git directory for {repo.slug} under {args.mirrors}", file=sys.stderr)
            return 1
        count = export(git_dir, repo)
        lines.append(f"{repo.slug}\t{repo.commit}\t{','.join(repo.folders) or '/'}\tstep {repo.step}\t"
                     f"{count} .py files\t{repo.style}")
        print(f"{repo.slug} {repo.commit[:12]} {repo.folders}: {count} .py files")
    (CORPUS / "REVISIONS.txt").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
