"""Initial priors: how likely each strategy is to cure each symptom (0..1).

These are **initial guesses** from the usual causes of each symptom (Glorot &
Bengio 2010, He et al. 2015, Ioffe & Szegedy 2015, Karpathy's "A recipe for
training neural networks"), not yet measured on the fault suite at
``benchmarks/faults/``.  The search ranks the applicable strategies by the sum
of their priors over the symptoms shown (ties: by code) and trains the best
ones first; the ranking only decides the order and which strategies fit the
budget, never the verdict (that comes from the arms).
"""

from __future__ import annotations

from typing import Iterable

PRIORS: dict[str, dict[str, float]] = {
    "no-learning": {"AS201": 0.35, "AS103": 0.30, "AS104": 0.30, "AS204": 0.30, "AS101": 0.25, "AS202": 0.20,
                    "AS203": 0.20, "AS206": 0.10, "AS205": 0.10, "AS102": 0.10, "AS301": 0.10},
    "one-class": {"AS101": 0.35, "AS204": 0.30, "AS201": 0.30, "AS104": 0.30, "AS102": 0.25, "AS203": 0.20,
                  "AS202": 0.15, "AS103": 0.15, "AS206": 0.10},
    "diverging": {"AS101": 0.50, "AS105": 0.45, "AS102": 0.40, "AS104": 0.30, "AS204": 0.30, "AS201": 0.20,
                  "AS203": 0.20},
    "flat-loss": {"AS103": 0.45, "AS104": 0.40, "AS201": 0.30, "AS204": 0.25, "AS202": 0.20, "AS203": 0.20,
                  "AS301": 0.15},
    "dead-units": {"AS202": 0.45, "AS201": 0.35, "AS101": 0.30, "AS203": 0.20, "AS204": 0.20},
    "vanishing-gradients": {"AS201": 0.45, "AS202": 0.40, "AS203": 0.35, "AS104": 0.25, "AS103": 0.20},
    "exploding-gradients": {"AS105": 0.45, "AS201": 0.40, "AS101": 0.35, "AS203": 0.30, "AS204": 0.30},
    "train-inference-gap": {"AS204": 0.40, "AS301": 0.10},
    "still-falling": {"AS103": 0.40, "AS104": 0.30, "AS301": 0.30},
}


def prior(code: str, symptoms: Iterable[str]) -> float:
    """Sum of ``code``'s priors over ``symptoms`` (0 when it addresses none of them)."""
    return sum(PRIORS.get(symptom, {}).get(code, 0.0) for symptom in symptoms)
