"""Training curves of a verification run (needs the ``plot`` extra: matplotlib).

One panel of loss curves for the rule stage's arms, one for the search's (every strategy of every
round, the round's original in grey), and the final score of every arm.
"""

from __future__ import annotations

import math
from typing import Any

from .evidence import Verification

#: Line styles of the search's rounds (round 0 solid, then dashed, dotted...).
ROUND_STYLES = ("-", "--", ":", "-.")


def plot_verification(evidence: Verification, path: Any = None) -> Any:
    """Plot every arm's loss per epoch and its final score; saves to ``path`` when given, returns the figure."""
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plotting needs matplotlib: pip install 'autofix[plot]'") from exc
    search = evidence.search
    rounds = list(getattr(search, "rounds", None) or [])
    panels = 3 if rounds else 2
    figure, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.2))
    _rule_curves(axes[0], evidence)
    if rounds:
        _search_curves(axes[1], rounds)
    _scores(axes[-1], evidence)
    figure.tight_layout()
    if path is not None:
        figure.savefig(path, dpi=100)
    return figure


def _curve(ax, values, label: str, **style) -> None:
    if values:
        ax.plot(range(1, len(values) + 1), values, label=label[:40], **style)


def _rule_curves(ax, evidence: Verification) -> None:
    for index, (name, runs) in enumerate(evidence.arms.items()):
        arm = runs[0]
        for key, style in (("loss", "-"), ("val_loss", "--")):
            _curve(ax, arm.history.get(key), f"{name} ({key})", linestyle=style, color=f"C{index % 10}")
    ax.set(xlabel="epoch", ylabel="loss", title=f"Rule candidates ({evidence.steps} steps per arm)")
    if ax.lines:
        ax.legend(fontsize=7)


def _search_curves(ax, rounds) -> None:
    colors: dict[str, str] = {}
    for rnd in rounds:
        style = ROUND_STYLES[rnd.index % len(ROUND_STYLES)]
        _curve(ax, rnd.original_loss, f"r{rnd.index} original ({rnd.steps} steps)", linestyle=style, color="0.5")
        for trial in rnd.trials:
            color = colors.setdefault(trial.code, f"C{len(colors) % 10}")
            _curve(ax, trial.loss, f"r{rnd.index} {trial.code} {trial.name}", linestyle=style, color=color)
    values = [v for rnd in rounds for t in rnd.trials for v in t.loss] + [v for rnd in rounds for v in rnd.original_loss]
    positive = values and all(v > 0 for v in values if math.isfinite(v))
    ax.set(xlabel="epoch", ylabel="loss", title="Search: every strategy, by round",
           yscale="log" if positive else "linear")
    if ax.lines:
        ax.legend(fontsize=6)


def _scores(ax, evidence: Verification) -> None:
    rows = evidence.rows()
    labels = [f"{r.stage} {r.name} (s{r.seed})"[:48] for r in rows]
    finals = [r.score if math.isfinite(r.score) else 0.0 for r in rows]
    ax.barh(range(len(rows)), finals, color=[f"C{i % 10}" for i in range(len(rows))])
    ax.set_yticks(range(len(rows)), labels, fontsize=6)
    ax.invert_yaxis()
    ax.set(xlabel=evidence.metric, title=f"Chosen: {(evidence.chosen or 'original')[:50]}")
