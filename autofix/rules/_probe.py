"""Shared bits of the training-probe rules (AF6xx): they read ``spec.probe`` only.

The probe itself (a few seeded training steps on a copy of the model) lives in
:mod:`autofix.probe`; ``autofix.diagnose(model, x, y, probe=True)`` runs it and
stores its :class:`~autofix.training.probe.ProbeFacts` on the spec.
"""

from __future__ import annotations

from ..spec import Origin

#: Where a whole-model probe finding points.
PROBE_ORIGIN = Origin(path="probe")

#: Tiny training data the probe examples share (``x``: 256 rows, 4 features; ``y``: 0/1 labels).
DATA = """
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 4)).astype("float32")
y = (x[:, 0] + x[:, 1] > 0).astype("float32")
"""


def layer_origin(name: str) -> Origin:
    return Origin(layer=name)
