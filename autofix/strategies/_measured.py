"""Cure counts of the repair strategies on the fault suite (written by ``benchmarks/faults/priors.py``).

``CURES[symptom][code] = [cured, tried]``: on how many sampled items showing
``symptom`` the strategy's arm cured it, of how many it was tried on.  Reviewed and committed;
regenerate with ``python benchmarks/faults/priors.py --write``.
"""

DATE = '2026-12-02'
STEPS = 128
SAMPLE: list[str] = [
    "b12_multilabel4_functional__zeros_kernel_hidden", "b04_binary_class__negative_bias_relu",
    "b07_multiclass4_builder__deep_sigmoid_stack",
    "b10_multiclass6_class_bn__relu_output_classifier", "b13_regression_mlp__adam_lr_1e-6",
    "b12_multilabel4_functional__adam_lr_0.5", "b15_regression_class__sgd_momentum_0.999",
    "r03_sgd_lr_weights_skyrocket", "b16_bounded_mlp__huge_l2", "r13_dropout_099",
    "b05_multiclass10_mlp__waist_2units", "b21_multilabel3_conv1d_class__few_filters",
    "b10_multiclass6_class_bn__bn_batch_size_1", "b04_binary_class__inputs_x1000",
    "b03_binary_conv1d__single_unit_softmax", "b13_regression_mlp__reg_head_sigmoid",
]
CURES: dict[str, dict[str, list[int]]] = {
    "dead-units": {"AS101": [2, 6], "AS102": [3, 6], "AS103": [0, 6], "AS104": [2, 6], "AS201": [3, 6],
        "AS202": [2, 6], "AS203": [2, 6], "AS204": [2, 2], "AS207": [0, 1], "AS301": [0, 6]},
    "diverging": {"AS101": [1, 1], "AS102": [1, 1], "AS103": [0, 1], "AS104": [1, 1], "AS105": [0, 1],
        "AS201": [0, 1], "AS203": [0, 1], "AS207": [0, 1], "AS301": [0, 1]},
    "exploding-gradients": {"AS101": [0, 1], "AS102": [0, 1], "AS103": [0, 1], "AS104": [0, 1],
        "AS105": [0, 1], "AS201": [0, 1], "AS203": [0, 1], "AS206": [1, 1], "AS301": [0, 1]},
    "flat-loss": {"AS101": [0, 6], "AS102": [0, 6], "AS103": [0, 6], "AS104": [1, 6], "AS201": [3, 5],
        "AS202": [3, 4], "AS203": [0, 6], "AS301": [0, 5]},
    "no-learning": {"AS101": [3, 13], "AS102": [4, 13], "AS103": [0, 13], "AS104": [4, 13],
        "AS105": [0, 2], "AS201": [3, 12], "AS202": [3, 7], "AS203": [2, 13], "AS204": [2, 2],
        "AS206": [1, 1], "AS207": [0, 2], "AS301": [0, 12]},
    "one-class": {"AS101": [0, 4], "AS102": [1, 4], "AS103": [0, 4], "AS104": [1, 4], "AS201": [1, 3],
        "AS202": [2, 3], "AS203": [1, 4], "AS204": [1, 1], "AS301": [0, 4]},
    "still-falling": {"AS101": [1, 3], "AS102": [1, 3], "AS103": [0, 3], "AS104": [0, 3],
        "AS201": [0, 3], "AS202": [0, 1], "AS203": [1, 3], "AS204": [1, 1], "AS207": [0, 1],
        "AS301": [0, 3]},
    "vanishing-gradients": {"AS101": [2, 7], "AS102": [3, 7], "AS103": [0, 7], "AS104": [2, 7],
        "AS201": [3, 6], "AS202": [3, 7], "AS203": [2, 7], "AS204": [2, 2], "AS207": [0, 1],
        "AS301": [0, 7]},
}
