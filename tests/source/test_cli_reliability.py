"""autofix-src on bad input: crashes, links, encodings, permissions (through the CLI)."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from autofix.cli.src import cli

# A function defined before the model, and a fix that needs the ``keras.`` prefix
# (AF204: from_logits=True on a string loss): libcst's IndentedBlock once crashed it.
FUNCTION_FIRST = '''def load():
    return 1


import keras
from keras import layers
model = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
'''
BAD = '''import keras
from keras import layers
model = keras.Sequential([keras.Input((8,)), layers.Dense(1, activation='softmax')])
model.compile(optimizer='adam', loss='binary_crossentropy')
'''
GOOD = BAD.replace("'softmax'", "'sigmoid'")


def invoke(*args):
    return CliRunner().invoke(cli, [*args, "--isolated"])


def test_function_before_the_model_diff_and_fix(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(FUNCTION_FIRST)
    result = invoke(str(path), "--diff", "--unsafe-fixes")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1 and "AF204 logits-without-from-logits" in result.stdout, result.output
    result = invoke(str(path), "--fix", "--unsafe-fixes")
    assert result.exit_code == 0, result.output
    assert path.read_text().startswith("def load():\n    return 1\n")


def test_keras_prefix_is_found_past_a_function_definition():
    from autofix.edits import SetLoss
    from autofix.source._plan import SourceTree
    from autofix.source.extract import extract_source
    from autofix.source.rewrite import apply_edits, check_applicable

    (spec,) = extract_source(FUNCTION_FIRST, "t.py")
    edits = [SetLoss("sparse_categorical_crossentropy", (("from_logits", True),))]
    tree = SourceTree.parse(FUNCTION_FIRST)
    assert check_applicable(tree, spec, edits) is None
    out = apply_edits(tree, [(spec, edits)]).code
    assert 'loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)' in out


def test_explicit_symlink_loop_is_reported_not_a_traceback(tmp_path):
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    good = tmp_path / "ok.py"
    good.write_text(GOOD)
    for extra in ((), ("--isolated",)):
        result = CliRunner().invoke(cli, [str(tmp_path / "a.py"), str(good), *extra])
        assert not isinstance(result.exception, RuntimeError), result.output
        assert result.exit_code == 2
        assert f"{tmp_path / 'a.py'}: symlink loop" in result.output


def test_internal_error_exits_2_and_the_run_goes_on(tmp_path, monkeypatch):
    import autofix.cli.src as src

    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(BAD)
    second.write_text(BAD)
    real = src.check_source

    def flaky(code, name, *args, **kwargs):
        if name.endswith("a.py"):
            raise KeyError("boom")
        return real(code, name, *args, **kwargs)

    monkeypatch.setattr(src, "check_source", flaky)
    result = invoke(str(first), str(second), "--fix")
    assert result.exit_code == 2
    assert f"{first}: internal error: KeyError: 'boom'" in result.output
    assert "Traceback" not in result.output
    assert first.read_text() == BAD and second.read_text() == GOOD


def test_pep263_latin1_file_is_read_and_written_in_its_encoding(tmp_path):
    path = tmp_path / "train.py"
    text = "# -*- coding: latin-1 -*-\n# Entraînement du modèle\n" + BAD
    path.write_bytes(text.encode("latin-1"))
    result = invoke(str(path))
    assert result.exit_code == 1 and "AF201" in result.output, result.output
    assert invoke(str(path), "--fix").exit_code == 0
    data = path.read_bytes()
    assert data.decode("latin-1") == "# -*- coding: latin-1 -*-\n# Entraînement du modèle\n" + GOOD
    assert "è".encode("utf-8") not in data


def test_undeclared_non_utf8_file_is_skipped(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(("# modèle\n" + BAD).encode("latin-1"))
    result = invoke(str(path), "--fix")
    assert result.exit_code == 2 and "not UTF-8" in result.output
    assert path.read_bytes() == ("# modèle\n" + BAD).encode("latin-1")


def test_read_only_file_is_left_untouched_even_as_root(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(BAD)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        result = invoke(str(path), "--fix")
        assert result.exit_code == 2
        assert f"{path}: file is read-only; fixes not written" in result.output
        assert path.read_text() == BAD
    finally:
        path.chmod(0o644)


def test_read_only_folder_gives_a_clear_message(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "train.py"
    path.write_text(BAD)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        result = invoke(str(path), "--fix")
        assert result.exit_code == 2
        assert f"folder {folder} is read-only" in result.output and "fixes not written" in result.output
        assert "Traceback" not in result.output and "Errno" not in result.output
        assert path.read_text() == BAD
        assert [p.name for p in folder.iterdir()] == ["train.py"]
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_check_only_needs_no_write_permission(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(BAD)
    path.chmod(0o444)
    try:
        assert invoke(str(path)).exit_code == 1
        assert invoke(str(path), "--diff").exit_code == 1
    finally:
        path.chmod(0o644)
