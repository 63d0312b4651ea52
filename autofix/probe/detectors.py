"""Training-probe detectors (AF6xx): each turns :class:`ProbeFacts` into findings.

They are a separate list from :mod:`autofix.rules` because they need a probe
training run, which the static rules (and their example tests) never do.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Iterator

from ..edits import SetOptimizerArg
from ..findings import Applicability, Finding, Fix, Severity
from ..spec import Origin
from .facts import ProbeFacts

GAP = 0.2  #: fit accuracy above evaluate accuracy by this much is a train/inference gap
CONSTANT = 0.95  #: share of predictions in one class that counts as constant
DEAD = 0.5  #: share of never-firing ReLU units that counts as dead
VANISH, EXPLODE = 1e-6, 1e3  #: kernel gradient norms out of this range


def _finding(code: str, name: str, message: str, *, severity=Severity.WARNING, fixes=(), layer=None) -> Finding:
    origin = Origin(layer=layer) if layer else Origin(path="probe")
    return Finding(code, name, message, severity, origin, tuple(fixes), (layer,) if layer else ())


def train_inference_gap(facts: ProbeFacts, context: dict) -> Iterator[Finding]:
    if facts.fit_accuracy is None or facts.fit_accuracy - facts.eval_accuracy <= GAP:
        return
    yield _finding(
        "AF601", "train-inference-gap",
        f"After {len(facts.losses)} probe steps the model scores {facts.fit_accuracy:.2f} in training "
        f"mode but {facts.eval_accuracy:.2f} in inference mode on the same rows: fit() accuracy will "
        "not carry over to evaluate(). Causes to test: BatchNormalization statistics (renorm=True), "
        "shuffle=False on label-sorted data, unnormalised inputs; verify=True trains each cure.",
        severity=Severity.ERROR)


def constant_predictions(facts: ProbeFacts, context: dict) -> Iterator[Finding]:
    share, base = facts.majority_share, facts.true_majority_share
    if share is None or share < CONSTANT or base >= CONSTANT:
        return
    causes = ", ".join(sorted(context.get("codes", ()))) or "none of the static rules"
    yield _finding(
        "AF602", "constant-predictions",
        f"After {len(facts.losses)} probe steps the model predicts one class for {share:.0%} of the "
        f"rows, while the largest class is {base:.0%} of the labels: it has collapsed to one class. "
        f"Findings that explain it: {causes}.", severity=Severity.ERROR)


def learning_rate(facts: ProbeFacts, context: dict) -> Iterator[Finding]:
    losses, rate = facts.losses, context.get("learning_rate")
    if len(losses) < 8 or not rate:
        return
    k = max(2, len(losses) // 4)
    head, tail = sum(losses[:k]) / k, sum(losses[-k:]) / k
    if not all(math.isfinite(v) for v in losses) or tail > 1.5 * head:
        direction, factor = "diverges", 0.1
    elif abs(head - tail) < 0.01 * abs(head) and head > 1e-3:
        direction, factor = "stays flat", 10.0
    else:
        return
    suggested = float(f"{rate * factor:.3g}")
    fix = Fix(f"set learning_rate={suggested:g}", (SetOptimizerArg("learning_rate", suggested),),
              Applicability.DISPLAY_ONLY)
    yield _finding(
        "AF603", "probe-learning-rate",
        f"The training loss {direction} over {len(losses)} probe steps ({head:.3g} -> {tail:.3g}) at "
        f"learning rate {rate:g}. Try {suggested:g}; verify=True searches /10 and /100 (or x10, x100).",
        fixes=[fix])


def dead_relu(facts: ProbeFacts, context: dict) -> Iterator[Finding]:
    for layer, share in facts.dead.items():
        if share > DEAD:
            yield _finding(
                "AF604", "dead-relu",
                f"{share:.0%} of the ReLU units of layer '{layer}' never fire on a probe batch: they "
                "pass no gradient and stop learning. Lower the learning rate, normalise the inputs, "
                "or use LeakyReLU / He initialisation.", layer=layer)


def gradient_scale(facts: ProbeFacts, context: dict) -> Iterator[Finding]:
    for layer, norm in facts.grad_norms.items():
        if not math.isfinite(norm) or norm > EXPLODE:
            kind = "exploding"
        elif norm < VANISH and max(facts.grad_norms.values()) > 1e3 * max(norm, 1e-30):
            kind = "vanishing"
        else:
            continue
        yield _finding(
            "AF605", "gradient-scale",
            f"The kernel gradient of layer '{layer}' has norm {norm:.3g} on a probe batch ({kind}): "
            "its weights will not train well. Check activations (saturating sigmoid/tanh stacks), "
            "input scale and the learning rate; BatchNormalization or residual links help.", layer=layer)


DETECTORS: tuple[Callable[[ProbeFacts, dict], Iterator[Finding]], ...] = (
    train_inference_gap, constant_predictions, learning_rate, dead_relu, gradient_scale,
)


def detect(facts: ProbeFacts, context: dict[str, Any] | None = None) -> list[Finding]:
    """All probe findings; ``context`` may give ``learning_rate`` and static finding ``codes``."""
    context = context or {}
    return [finding for detector in DETECTORS for finding in detector(facts, context)]
