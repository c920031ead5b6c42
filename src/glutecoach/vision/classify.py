"""A small numpy classifier for rep quality: standardised features + L2 logistic regression."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from glutecoach.vision.joints import FloatArray

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class LogisticModel:
    mean: FloatArray
    scale: FloatArray
    weights: FloatArray
    bias: float

    def probability(self, features: FloatArray) -> FloatArray:
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        probability: FloatArray = 1.0 / (1.0 + np.exp(-z))
        return probability

    def predict(self, features: FloatArray) -> IntArray:
        return (self.probability(features) >= 0.5).astype(np.int64)


def fit_logistic(
    features: FloatArray, labels: FloatArray, l2: float = 1.0, steps: int = 2000, rate: float = 0.5
) -> LogisticModel:
    """Full-batch gradient descent on the mean log-loss + l2/n * |w|^2 / 2 (deterministic)."""
    mean = features.mean(axis=0)
    scale = features.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    x = (features - mean) / scale
    y = labels.astype(np.float64)
    n, d = x.shape
    w, b = np.zeros(d), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        w -= rate * (x.T @ (p - y) / n + l2 * w / n)
        b -= rate * float(np.mean(p - y))
    return LogisticModel(mean, scale, w, b)


def impute(features: FloatArray, fill: FloatArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Replace NaNs by the column median (of the training data when ``fill`` is given)."""
    fill = np.nanmedian(features, axis=0) if fill is None else fill
    fill = np.nan_to_num(fill)
    return np.where(np.isnan(features), fill, features), fill


def scores(truth: IntArray, predicted: IntArray) -> dict[str, float]:
    """Accuracy, and precision/recall/F1 with 1 (incorrect rep) as the positive class."""
    tp = float(np.sum((predicted == 1) & (truth == 1)))
    fp = float(np.sum((predicted == 1) & (truth == 0)))
    fn = float(np.sum((predicted == 0) & (truth == 1)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = float(np.mean(truth == predicted)) if truth.size else 0.0
    return {"accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1}


def leave_one_group_out(
    features: FloatArray, labels: IntArray, groups: list[str]
) -> tuple[IntArray, dict[str, dict[str, float]]]:
    """Predictions for every sample from a model trained without its group; per-group scores."""
    predicted = np.zeros(labels.shape, dtype=np.int64)
    per_group: dict[str, dict[str, float]] = {}
    group_array = np.array(groups)
    for group in sorted(set(groups)):
        test = group_array == group
        train_x, fill = impute(features[~test])
        model = fit_logistic(train_x, labels[~test])
        test_x, _ = impute(features[test], fill)
        predicted[test] = model.predict(test_x)
        per_group[group] = scores(labels[test], predicted[test])
    return predicted, per_group


def calibrated_to_person(
    features: FloatArray, groups: list[str], calibration: NDArray[np.bool_]
) -> FloatArray:
    """Each person's features as offsets from the mean of their own calibration reps.

    Bodies differ (a knock-kneed person's knee/ankle width, a long-femured person's depth), so
    the same threshold does not fit everyone; the person's first reps, done as shown, set their
    own baseline. Persons without calibration reps are left unchanged.
    """
    out = features.copy()
    group_array = np.array(groups)
    for group in set(groups):
        mine = group_array == group
        reference = features[mine & calibration]
        if reference.size:
            out[mine] = features[mine] - np.nanmean(reference, axis=0)
    return out
