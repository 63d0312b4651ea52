"""Before/after training curves of a verification run (needs the ``plot`` extra: matplotlib)."""

from __future__ import annotations

from typing import Any

from .evidence import Verification


def plot_verification(evidence: Verification, path: Any = None) -> Any:
    """Plot each arm's loss and validation loss per epoch, and its final score.

    Saves to ``path`` when given; returns the matplotlib figure.
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'autofix[plot]'") from exc
    figure, (curves, scores) = plt.subplots(1, 2, figsize=(11, 4))
    names = list(evidence.arms)
    for index, name in enumerate(names):
        arm = evidence.arms[name][0]
        color = f"C{index}"
        for key, style in (("loss", "-"), ("val_loss", "--")):
            values = arm.history.get(key)
            if values:
                curves.plot(range(1, len(values) + 1), values, style, color=color,
                            label=f"{name[:40]} ({key})")
    curves.set(xlabel="epoch", ylabel="loss", title=f"Training curves ({evidence.steps} steps per arm)")
    curves.legend(fontsize=7)
    finals = [evidence.arms[n][0].score for n in names]
    scores.barh(range(len(names)), finals, color=[f"C{i}" for i in range(len(names))])
    scores.set_yticks(range(len(names)), [n[:40] for n in names], fontsize=7)
    scores.set(xlabel=evidence.metric, title=f"Chosen: {(evidence.chosen or 'original')[:50]}")
    figure.tight_layout()
    if path is not None:
        figure.savefig(path, dpi=100)
    return figure
