"""What kind of ``keras.Model`` a model is, and new instances of a subclassed model's class (its call() graph
is code, not config). Keras is imported when a function runs, never at import."""

from __future__ import annotations

import inspect
from typing import Any

from .errors import UnsupportedModel


def model_kind(model: Any) -> str:
    """``"sequential"``, ``"functional"`` or ``"subclassed"``; TypeError for non-models."""
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(
            f"autofix expects a keras.Model (Sequential or Functional), got {type(model).__module__}."
            f"{type(model).__qualname__}. Build the model with keras (Keras 3) first."
        )
    if isinstance(model, keras.Sequential):
        return "sequential"
    if type(model).__name__ == "Functional":
        return "functional"
    return "subclassed"


def new_instance(model: Any) -> Any:
    """A new, unbuilt instance of a subclassed model's class: ``from_config(get_config())``, or the class
    called without arguments when that fails and its constructor needs none; UnsupportedModel otherwise."""
    cls = type(model)
    try:
        return cls.from_config(model.get_config())
    except Exception as exc:
        if not _takes_no_arguments(cls):
            raise UnsupportedModel(
                f"model '{model.name}' is a subclassed {cls.__name__} that cannot be copied "
                f"({type(exc).__name__} from from_config(get_config())): give it a get_config() that returns "
                "its constructor's arguments, or apply the suggested fixes in its code") from exc
    return cls()


def copy_refusal(model: Any) -> str | None:
    """Why a subclassed ``model`` cannot be copied (:func:`new_instance`), or None (also for models built
    from a config, and for non-models, which :func:`model_kind` rejects where they are used)."""
    try:
        if model_kind(model) != "subclassed":
            return None
    except TypeError:
        return None
    try:
        new_instance(model)
    except UnsupportedModel as exc:
        return str(exc)
    return None


def copy_subclassed(model: Any) -> Any:
    """:func:`new_instance` with ``model``'s weights when it is built."""
    new = new_instance(model)
    if model.built:
        build = model.get_build_config()
        if build:
            new.build_from_config(build)
        new.set_weights(model.get_weights())
    return new


def _takes_no_arguments(cls: type) -> bool:
    try:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)
