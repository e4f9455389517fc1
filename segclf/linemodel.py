"""The trained per-line classifier: a small neural network over line features.

The fitted network is kept as plain arrays (no pickle), so a model file holds
no code. Fitting uses scikit-learn's ``MLPClassifier``; prediction is a numpy
forward pass, followed by temperature scaling, which calibrates the
probabilities on held-out documents.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from segclf.segments import row_blocks

__all__ = ["LineClassifier"]


@dataclass(frozen=True)
class LineClassifier:
    """A fitted, standardised multi-layer perceptron with a softmax output.

    ``weights[i]``/``biases[i]`` are layer ``i``'s parameters; hidden layers use ReLU.
    """

    mean: np.ndarray
    scale: np.ndarray
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    temperature: float = 1.0
    class_bias: np.ndarray | None = None  # added to logits / temperature (vector-scaling calibration)

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    @property
    def n_classes(self) -> int:
        return int(self.biases[-1].shape[0])

    def logits(self, X: np.ndarray) -> np.ndarray:
        """The output layer's values, ``(n, n_classes)``, before calibration.

        Every layer runs on the same blocks of rows (``row_blocks``), so that a row's
        logits depend on that row alone; a block goes through all the layers while it
        is in the cache, and the standardisation is skipped where it is folded into the
        first layer (``averaged``).
        """
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"X must have shape (n, {self.n_features}), got {X.shape}")
        standardise = self.mean.any() or not (self.scale == 1).all()
        out = np.empty((len(X), self.n_classes), dtype=np.result_type(X, self.weights[-1]))
        for rows, h in row_blocks(X):
            if standardise:
                h = (h - self.mean) / self.scale
            for W, b in zip(self.weights[:-1], self.biases[:-1]):
                h = h @ W
                h += b
                np.maximum(h, 0.0, out=h)
            out[rows] = (h @ self.weights[-1] + self.biases[-1])[: rows.stop - rows.start]
        return out

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities, ``(n, n_classes)``."""
        return self.calibrated(self.logits(X))

    def calibrated(self, logits: np.ndarray) -> np.ndarray:
        z = logits / self.temperature
        if self.class_bias is not None:
            z = z + self.class_bias
        return softmax(z)

    def with_temperature(self, temperature: float, class_bias: np.ndarray | None = None) -> LineClassifier:
        bias = None if class_bias is None else np.asarray(class_bias, dtype=np.float32)
        return LineClassifier(self.mean, self.scale, self.weights, self.biases, float(temperature), bias)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {
            f"{prefix}.mean": self.mean,
            f"{prefix}.scale": self.scale,
            f"{prefix}.temperature": np.array([self.temperature], dtype=np.float64),
        }
        if self.class_bias is not None:
            arrays[f"{prefix}.class_bias"] = self.class_bias
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            arrays[f"{prefix}.W{i}"] = W
            arrays[f"{prefix}.b{i}"] = b
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> LineClassifier:
        weights, biases = [], []
        i = 0
        while f"{prefix}.W{i}" in arrays:
            weights.append(np.asarray(arrays[f"{prefix}.W{i}"], dtype=np.float32))
            biases.append(np.asarray(arrays[f"{prefix}.b{i}"], dtype=np.float32))
            i += 1
        if not weights:
            raise KeyError(f"no layers for {prefix!r}")
        model = cls(
            np.asarray(arrays[f"{prefix}.mean"], dtype=np.float32),
            np.asarray(arrays[f"{prefix}.scale"], dtype=np.float32),
            tuple(weights),
            tuple(biases),
            float(arrays[f"{prefix}.temperature"][0]),
            np.asarray(arrays[f"{prefix}.class_bias"], dtype=np.float32) if f"{prefix}.class_bias" in arrays else None,
        )
        _check_shapes(model)
        return model

    @classmethod
    def fit(
        cls,
        X: np.ndarray,
        y: np.ndarray,
        *,
        n_classes: int,
        hidden: tuple[int, ...] = (64,),
        sample_weight: np.ndarray | None = None,
        alpha: float = 1e-4,
        max_iter: int = 30,
        random_state: int = 0,
    ) -> LineClassifier:
        """Fit on ``X`` (n, d) and integer labels ``y`` in ``range(n_classes)``."""
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        X = np.asarray(X, dtype=np.float32)
        y = np.asarray(y)
        if X.ndim != 2 or len(X) != len(y):
            raise ValueError(f"X must be 2-D with one row per label, got {X.shape} and {y.shape}")
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale < 1e-6] = 1.0
        Z = (X - mean) / scale
        if sample_weight is not None:  # MLPClassifier has no sample weights: resample instead
            rng = np.random.default_rng(random_state)
            p = np.asarray(sample_weight, dtype=np.float64)
            idx = rng.choice(len(Z), size=len(Z), replace=True, p=p / p.sum())
            Z, y = Z[idx], y[idx]
        mlp = MLPClassifier(
            hidden_layer_sizes=hidden,
            alpha=alpha,
            max_iter=max_iter,
            random_state=random_state,
            batch_size=1024,
            learning_rate_init=1e-3,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mlp.fit(Z, y)
        weights = [np.asarray(W, dtype=np.float32) for W in mlp.coefs_]
        biases = [np.asarray(b, dtype=np.float32) for b in mlp.intercepts_]
        weights[-1], biases[-1] = _full_output_layer(weights[-1], biases[-1], mlp.classes_, n_classes)
        weights, biases = tuple(weights), tuple(biases)
        return cls(mean.astype(np.float32), scale.astype(np.float32), weights, biases)

    @classmethod
    def averaged(cls, members: Sequence[LineClassifier]) -> LineClassifier:
        """One network whose logits are the mean of the members' logits (uncalibrated).

        For networks with one hidden layer this is exact: the members' hidden units
        side by side, each member's standardisation folded into its first layer, and
        the output layer averaging their logits. Networks trained with other seeds on
        other samples disagree on hard lines; their mean is steadier than any one of
        them, at the cost of a wider hidden layer. Calibrate the result
        (``fit_temperature``): the members' temperatures and class biases are dropped.
        """
        if not members:
            raise ValueError("members must hold at least one classifier, got none")
        shapes = {(m.n_features, m.n_classes, len(m.weights)) for m in members}
        if len(shapes) != 1 or next(iter(shapes))[2] != 2:
            raise ValueError(f"members must share features, classes and one hidden layer; got {sorted(shapes)}")
        first_W, first_b, out_W, out_b = [], [], [], []
        for m in members:
            W1 = m.weights[0].astype(np.float64) / m.scale[:, None]
            first_W.append(W1)
            first_b.append(m.biases[0] - m.mean.astype(np.float64) @ W1)
            out_W.append(m.weights[1].astype(np.float64) / len(members))
            out_b.append(m.biases[1].astype(np.float64) / len(members))
        d = members[0].n_features
        return cls(
            np.zeros(d, np.float32),
            np.ones(d, np.float32),
            (np.hstack(first_W).astype(np.float32), np.vstack(out_W).astype(np.float32)),
            (np.concatenate(first_b).astype(np.float32), np.sum(out_b, axis=0).astype(np.float32)),
        )

    def fit_temperature(self, X: np.ndarray, y: np.ndarray) -> LineClassifier:
        """Calibrate on held-out ``(X, y)``: a temperature and a bias per class, by log-loss.

        The per-class biases undo the prior shift of class-weighted training (rare
        classes were up-weighted), so probabilities match held-out frequencies.
        """
        from scipy.optimize import minimize

        logits = self.logits(X).astype(np.float64)
        n_classes = logits.shape[1]
        present = np.bincount(y, minlength=n_classes) > 0

        def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
            inv_t, bias = np.exp(params[0]), np.where(present, params[1:], 0.0)
            z = logits * inv_t + bias
            z -= z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
            nll = -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1.0)))
            grad_z = p.copy()
            grad_z[np.arange(len(y)), y] -= 1.0
            grad_z /= len(y)
            grad = np.concatenate([[np.sum(grad_z * logits) * inv_t], np.where(present, grad_z.sum(axis=0), 0.0)])
            return nll, grad

        result = minimize(loss, np.zeros(1 + n_classes), jac=True, method="L-BFGS-B")
        inv_t = float(np.exp(result.x[0]))
        bias = np.where(present, result.x[1:], 0.0)
        return self.with_temperature(1.0 / inv_t, bias - bias.mean())


def _full_output_layer(
    W: np.ndarray, b: np.ndarray, classes: np.ndarray, n_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Give the output layer one column per class, also for classes absent from training.

    Absent classes get a very negative bias; a two-class network (one logistic
    output in scikit-learn) becomes an equivalent two-column softmax.
    """
    if W.shape[1] == 1:  # logistic output: p(classes[1]) = sigmoid(z) = softmax([0, z])
        W = np.hstack([np.zeros_like(W), W])
        b = np.concatenate([np.zeros_like(b), b])
    full_W = np.zeros((W.shape[0], n_classes), dtype=np.float32)
    full_b = np.full(n_classes, -30.0, dtype=np.float32)
    full_W[:, classes] = W
    full_b[classes] = b
    return full_W, full_b


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _check_shapes(model: LineClassifier) -> None:
    d = model.n_features
    if model.scale.shape != (d,):
        raise ValueError("mean and scale differ in size")
    for W, b in zip(model.weights, model.biases):
        if W.ndim != 2 or W.shape[0] != d or b.shape != (W.shape[1],):
            raise ValueError("layer shapes do not chain")
        d = W.shape[1]
