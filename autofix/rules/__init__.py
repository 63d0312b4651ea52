"""The rule registry: stable code -> rule class, with prefix selection."""

from __future__ import annotations

from typing import Iterable

from .af101_missing_activation import MissingActivation
from .af102_saturating_activations import SaturatingActivations
from .af103_dropout_on_output import DropoutOnOutput
from .af104_flatten_dense_bottleneck import FlattenDenseBottleneck
from .af105_constant_kernel_initializer import ConstantKernelInitializer
from .af106_oversized_random_initializer import OversizedRandomInitializer
from .af107_large_bias_initializer import LargeBiasInitializer
from .af108_dropout_as_keep_probability import DropoutAsKeepProbability
from .af109_dominating_weight_regularizer import DominatingWeightRegularizer
from .af110_narrow_bottleneck import NarrowBottleneck
from .af111_dominating_activity_regularizer import DominatingActivityRegularizer
from .af201_single_unit_softmax import SingleUnitSoftmax
from .af202_softmax_binary_crossentropy import SoftmaxBinaryCrossentropy
from .af203_sigmoid_categorical_crossentropy import SigmoidCategoricalCrossentropy
from .af204_logits_without_from_logits import LogitsWithoutFromLogits
from .af205_from_logits_on_probabilities import FromLogitsOnProbabilities
from .af206_binary_metrics_two_unit_softmax import BinaryMetricsTwoUnitSoftmax
from .af207_classification_with_regression_loss import ClassificationWithRegressionLoss
from .af208_single_unit_categorical_crossentropy import SingleUnitCategoricalCrossentropy
from .af209_accuracy_metric_on_regression import AccuracyMetricOnRegression
from .af301_batchnorm_unreliable_statistics import BatchNormUnreliableStatistics
from .af302_learning_rate_out_of_range import LearningRateOutOfRange
from .af303_too_few_updates import TooFewUpdates
from .af304_extreme_optimizer_hyperparameters import ExtremeOptimizerHyperparameters
from .af305_early_stopping_without_patience import EarlyStoppingWithoutPatience
from .af306_batchnorm_moving_averages_unconverged import BatchNormMovingAveragesUnconverged
from .af401_label_encoding_mismatch import LabelEncodingMismatch
from .af402_unnormalized_inputs import UnnormalizedInputs
from .af403_class_imbalance import ClassImbalance
from .af404_sorted_labels_without_shuffle import SortedLabelsWithoutShuffle
from .af405_binary_head_multiclass_labels import BinaryHeadMulticlassLabels
from .af406_bounded_head_on_unbounded_targets import BoundedHeadOnUnboundedTargets
from .af407_targets_outside_loss_range import TargetsOutsideLossRange
from .af408_unscaled_regression_targets import UnscaledRegressionTargets
from .af409_constant_inputs import ConstantInputs
from .af410_split_preprocessed_differently import SplitPreprocessedDifferently
from .af411_features_labels_shuffled_apart import FeaturesLabelsShuffledApart
from .af501_legacy_keras_api import LegacyKerasApi
from .af502_callback_monitors_missing_metric import CallbackMonitorsMissingMetric
from .af503_onehot_labels_sparse_loss import OnehotLabelsSparseLoss
from .af601_train_inference_gap import TrainInferenceGap
from .af602_constant_predictions import ConstantPredictions
from .af603_probe_learning_rate import ProbeLearningRate
from .af604_dead_relu import DeadRelu
from .af605_gradient_scale import GradientScale
from .base import Example, Rule

#: Code groups: AF1xx architecture, AF2xx output head and loss,
#: AF3xx training settings, AF4xx training data, AF5xx source-only (scripts),
#: AF6xx training probe (live models with x, y and ``probe=True``).
REGISTRY: dict[str, type[Rule]] = {
    cls.code: cls
    for cls in (
        MissingActivation, SaturatingActivations, DropoutOnOutput, FlattenDenseBottleneck,
        ConstantKernelInitializer, OversizedRandomInitializer, LargeBiasInitializer,
        DropoutAsKeepProbability, DominatingWeightRegularizer, NarrowBottleneck, DominatingActivityRegularizer,
        SingleUnitSoftmax, SoftmaxBinaryCrossentropy, SigmoidCategoricalCrossentropy,
        LogitsWithoutFromLogits, FromLogitsOnProbabilities, BinaryMetricsTwoUnitSoftmax,
        BatchNormUnreliableStatistics, LearningRateOutOfRange,
        LabelEncodingMismatch, UnnormalizedInputs, ClassImbalance, SortedLabelsWithoutShuffle,
        LegacyKerasApi, CallbackMonitorsMissingMetric, OnehotLabelsSparseLoss,
        TrainInferenceGap, ConstantPredictions, ProbeLearningRate, DeadRelu, GradientScale,
        ClassificationWithRegressionLoss, SingleUnitCategoricalCrossentropy, AccuracyMetricOnRegression,
        TooFewUpdates, ExtremeOptimizerHyperparameters, BinaryHeadMulticlassLabels,
        BoundedHeadOnUnboundedTargets,
        TargetsOutsideLossRange,
        UnscaledRegressionTargets,
        ConstantInputs,
        SplitPreprocessedDifferently,
        FeaturesLabelsShuffledApart,
        EarlyStoppingWithoutPatience,
        BatchNormMovingAveragesUnconverged,
    )
}
BY_NAME = {cls.name: cls for cls in REGISTRY.values()}


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p.upper()) or BY_NAME.get(p) is REGISTRY[code] for p in patterns)


def select_rules(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None) -> list[Rule]:
    """Rule instances whose code starts with a ``select`` prefix and no ``ignore`` prefix.

    Names (``single-unit-softmax``) work as well as codes and prefixes
    (``AF2``, ``AF201``). Unknown selectors raise ``ValueError``.
    """
    select = list(select) if select else ["AF"]
    ignore = list(ignore or [])
    for pattern in [*select, *ignore]:
        if not any(c.startswith(pattern.upper()) for c in REGISTRY) and pattern not in BY_NAME:
            raise ValueError(f"unknown rule selector {pattern!r}; known codes: {', '.join(sorted(REGISTRY))}")
    return [
        REGISTRY[code]()
        for code in sorted(REGISTRY)
        if _matches(code, select) and not _matches(code, ignore)
    ]


def probe_rules() -> list[Rule]:
    """Instances of the rules that read a training probe's facts."""
    return [cls() for code, cls in sorted(REGISTRY.items()) if "probe" in cls.requires]


__all__ = ["REGISTRY", "Example", "Rule", "probe_rules", "select_rules"]
