"""Priors: how likely each strategy is to cure each symptom (0..1), measured where the fault suite shows it.

``PRIORS`` holds the **initial priors**, set by hand from the usual causes of
each symptom (Glorot & Bengio 2010, He et al. 2015, Ioffe & Szegedy 2015,
Karpathy's "A recipe for training neural networks"); they also say which
symptoms a strategy addresses (a prior above 0).  ``benchmarks/faults/priors.py``
measures, on a sample of the fault suite, how often each strategy's arm cures
each symptom, and writes the counts to :mod:`._measured` (reviewed, committed).
:func:`prior` is the initial prior updated by those counts, as the mean of a
Beta distribution worth ``STRENGTH`` arms::

    prior = (cured + STRENGTH * initial) / (tried + STRENGTH)

so an unmeasured pair keeps its initial prior, a pair tried on many items tends
to its measured cure rate, and a strategy that cured a symptom it was not
meant for gets a small prior for it.  The search ranks the applicable
strategies by the sum of their priors over the symptoms shown (ties: by code);
the ranking only decides the order and which strategies fit the budget,
never the verdict (that comes from the arms).
"""

from __future__ import annotations

from typing import Iterable, Mapping

from . import _measured

PRIORS: dict[str, dict[str, float]] = {
    "no-learning": {"AS201": 0.35, "AS103": 0.30, "AS104": 0.30, "AS204": 0.30, "AS101": 0.25, "AS202": 0.20,
                    "AS203": 0.20, "AS206": 0.10, "AS205": 0.10, "AS102": 0.10, "AS301": 0.10,
                    "AS207": 0.30, "AS208": 0.30},
    "one-class": {"AS101": 0.35, "AS204": 0.30, "AS201": 0.30, "AS104": 0.30, "AS102": 0.25, "AS203": 0.20,
                  "AS202": 0.15, "AS103": 0.15, "AS206": 0.10},
    "diverging": {"AS101": 0.50, "AS105": 0.45, "AS102": 0.40, "AS104": 0.30, "AS204": 0.30, "AS201": 0.20,
                  "AS203": 0.20, "AS207": 0.20},
    "flat-loss": {"AS103": 0.45, "AS104": 0.40, "AS201": 0.30, "AS204": 0.25, "AS202": 0.20, "AS203": 0.20,
                  "AS301": 0.15, "AS208": 0.30},
    "dead-units": {"AS208": 0.50, "AS202": 0.45, "AS201": 0.35, "AS101": 0.30, "AS203": 0.20, "AS204": 0.20},
    "vanishing-gradients": {"AS201": 0.45, "AS202": 0.40, "AS203": 0.35, "AS104": 0.25, "AS103": 0.20},
    "exploding-gradients": {"AS105": 0.45, "AS201": 0.40, "AS101": 0.35, "AS203": 0.30, "AS204": 0.30},
    "train-inference-gap": {"AS204": 0.40, "AS301": 0.10},
    "still-falling": {"AS103": 0.40, "AS104": 0.30, "AS301": 0.30},
}

#: Weight of an initial prior, in measured arms.
STRENGTH = 2.0


def updated(initial: Mapping[str, Mapping[str, float]],
            cures: Mapping[str, Mapping[str, tuple[int, int] | list[int]]],
            strength: float = STRENGTH) -> dict[str, dict[str, float]]:
    """``initial`` updated by ``cures`` (symptom -> code -> (cured, tried)); see the module docstring."""
    table = {symptom: dict(row) for symptom, row in initial.items()}
    for symptom, row in cures.items():
        for code, (cured, tried) in row.items():
            start = initial.get(symptom, {}).get(code, 0.0)
            table.setdefault(symptom, {})[code] = (cured + strength * start) / (tried + strength)
    return table


def table() -> dict[str, dict[str, float]]:
    """The priors the search ranks by: :data:`PRIORS` updated by the measured cures."""
    return updated(PRIORS, _measured.CURES)


def prior(code: str, symptoms: Iterable[str]) -> float:
    """Sum of ``code``'s priors over ``symptoms`` (0 when it addresses none of them)."""
    ranks = table()
    return sum(ranks.get(symptom, {}).get(code, 0.0) for symptom in symptoms)
