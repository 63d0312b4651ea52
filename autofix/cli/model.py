"""``autofix model saved.keras --data data.npz``: diagnose, repair and verify a saved model."""

from __future__ import annotations

import sys

import click


def _load_data(path: str) -> tuple:
    import numpy as np

    try:
        arrays = np.load(path)
        names = set(arrays.files)
    except Exception as exc:
        raise click.UsageError(f"cannot read {path} as an .npz archive: {type(exc).__name__}: {exc}") from None
    if not {"x", "y"} <= names:
        raise click.UsageError(f"{path} must hold arrays 'x' and 'y' (optionally 'x_val', 'y_val'); "
                               f"it has {sorted(names)}")
    val = (arrays["x_val"], arrays["y_val"]) if {"x_val", "y_val"} <= names else None
    return arrays["x"], arrays["y"], val


@click.group()
def main() -> None:
    """autofix: find and repair the quiet mistakes in Keras models."""


@main.command("model")
@click.argument("model_path", type=click.Path(exists=True, dir_okay=False))
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False), required=True,
              help="npz with arrays x, y (and optionally x_val, y_val)")
@click.option("--out", type=click.Path(dir_okay=False), help="where to save the repaired model (.keras)")
@click.option("--budget", type=float, default=60.0, show_default=True, help="verification seconds")
@click.option("--batch-size", type=int, default=32, show_default=True)
@click.option("--no-shuffle", is_flag=True, help="the model is trained with fit(shuffle=False)")
@click.option("--no-verify", is_flag=True, help="apply the fixes without a verification retrain")
@click.option("--force", is_flag=True, help="apply the best candidate even if not confirmed")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), help="save before/after curves (png)")
@click.option("--verbose", type=click.IntRange(0, 2), default=1, show_default=True,
              help="verification progress: 0 silent, 1 a progress display, 2 one line per arm")
def model_command(model_path, data_path, out, budget, batch_size, no_shuffle, no_verify, force, seed,
                  plot_path, verbose) -> None:
    """Diagnose MODEL_PATH on its data, verify the repairs, save the best one.

    Exit codes: 0 nothing left to fix, 1 findings remain or nothing was confirmed, 2 usage error.
    """
    import keras

    from ..api import fix

    x, y, val = _load_data(data_path)
    try:
        model = keras.saving.load_model(model_path)
    except Exception as exc:  # a corrupt file, a missing custom object, a non-Keras file
        raise click.UsageError(f"cannot load {model_path} as a Keras model: {type(exc).__name__}: {exc}") from None
    fit_kwargs = {"batch_size": batch_size, "shuffle": not no_shuffle}
    kwargs = {} if no_verify else {"verify": True, "budget": budget, "seed": seed, "force": force, "verbose": verbose}
    result = fix(model, x, y, validation_data=val, fit_kwargs=fit_kwargs, **kwargs)
    result.summary(print_fn=click.echo)
    if plot_path and result.verification is not None:
        result.plot(plot_path)
    if result.changed:
        target = out or model_path.replace(".keras", ".fixed.keras")
        result.model.save(target)
        click.echo(f"Saved the repaired model to {target}")
    sys.exit(0 if not result.remaining else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
