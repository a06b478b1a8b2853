"""Keras 3 Sequential models exported by distill_export against Keras itself: `distill predict` within
1e-6 of `model.predict` (collected only where keras is installed; any backend)."""
import json

import numpy as np
import keras
import pytest

import distill_export
from conftest import predict, write_rows

TOLERANCE = 1e-6


def test_sequential_with_normalization_batchnorm_and_activations(tmp_path):
    rng = np.random.default_rng(0)
    x = (rng.normal(size=(200, 5)) * [1, 10, 100, 0.1, 3] + [0, 5, -50, 1, 2]).astype(np.float32)
    keras.utils.set_random_seed(0)
    normalization = keras.layers.Normalization()
    normalization.adapt(x)
    model = keras.Sequential([keras.Input(shape=(5,)), normalization, keras.layers.Dense(16, activation="relu"),
                              keras.layers.BatchNormalization(), keras.layers.Dropout(0.3),
                              keras.layers.Dense(12, activation="gelu"), keras.layers.LeakyReLU(negative_slope=0.15),
                              keras.layers.Dense(8), keras.layers.Activation("tanh"), keras.layers.Dense(8, activation="swish"),
                              keras.layers.Dense(8, activation="selu"), keras.layers.Dense(8, activation="hard_sigmoid"),
                              keras.layers.Dense(3, activation="softmax")])
    norm = model.layers[2]
    gamma, beta, mean, variance = norm.get_weights()
    norm.set_weights([gamma * 1.3, beta + 0.2, rng.normal(size=16).astype(np.float32) * 0.1,
                      rng.uniform(0.5, 2, 16).astype(np.float32)])
    expected = np.asarray(model.predict(x, verbose=0), dtype=np.float64)
    path, data = str(tmp_path / "model.json"), str(tmp_path / "rows.csv")
    distill_export.export(model, path, feature_names=["a", "b", "c", "d", "e"], class_names=["r", "g", "b2"])
    write_rows(data, {name: x[:, i].astype(np.float64) for i, name in enumerate(["a", "b", "c", "d", "e"])})
    _, values = predict(path, data)
    assert np.max(np.abs(values - expected)) <= TOLERANCE
    document = json.load(open(path))
    assert document["preprocessing"][0]["type"] == "standardize"
    assert document["layers"][1]["type"] == "batchnorm" and document["layers"][1]["epsilon"] == pytest.approx(1e-3)


def test_binary_sigmoid_and_regression(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(100, 3)).astype(np.float32)
    keras.utils.set_random_seed(1)
    for model, classes in [(keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, activation="elu"),
                                              keras.layers.Dense(1, activation="sigmoid")]), ["neg", "pos"]),
                           (keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(4, activation="softplus"),
                                              keras.layers.Dense(2)]), None)]:
        out = np.asarray(model.predict(x, verbose=0), dtype=np.float64)
        expected = np.column_stack([1 - out, out]) if classes else out
        path, data = str(tmp_path / "model.json"), str(tmp_path / "rows.csv")
        distill_export.export(model, path, class_names=classes)
        write_rows(data, {f"x{i}": x[:, i].astype(np.float64) for i in range(3)})
        _, values = predict(path, data)
        assert np.max(np.abs(values - expected)) <= TOLERANCE


def test_unsupported_layers_are_named():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, activation="relu6")])
    with pytest.raises(distill_export.ExportError, match="relu6"):
        distill_export.convert(model)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Reshape((2, 2))])
    with pytest.raises(distill_export.ExportError, match="Reshape"):
        distill_export.convert(model)
