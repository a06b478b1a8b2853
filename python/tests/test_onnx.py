"""ONNX files written by skl2onnx, read by distill, against onnxruntime on the same file: `distill predict`
within 1e-5 (float32 weights), with skl2onnx's ZipMap and label outputs recognised and the class labels
taken from the graph."""
import numpy as np
import onnxruntime
import pytest
from skl2onnx import to_onnx
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from conftest import predict, run_distill, write_rows

TOLERANCE = 1e-5


def rows(count=250, width=5, seed=0):
    return np.random.default_rng(seed).normal(size=(count, width)).astype(np.float32)


def runtime(path, x):
    """onnxruntime's probabilities (from a ZipMap's dicts or the tensor) or outputs."""
    session = onnxruntime.InferenceSession(path)
    outputs = session.run(None, {session.get_inputs()[0].name: x})
    values = outputs[-1]
    if isinstance(values, list):
        keys = list(values[0])
        return keys, np.array([[row[k] for k in keys] for row in values], dtype=np.float64)
    return None, np.asarray(values, dtype=np.float64)


def compare(model, x, tmp_path, **options):
    path, data = str(tmp_path / "model.onnx"), str(tmp_path / "rows.csv")
    with open(path, "wb") as handle:
        handle.write(to_onnx(model, x[:1], **options).SerializeToString())
    write_rows(data, {f"x{i}": x[:, i].astype(np.float64) for i in range(x.shape[1])})
    keys, expected = runtime(path, x)
    labels, values = predict(path, data)
    assert values.shape == expected.shape
    assert np.max(np.abs(values - expected)) <= TOLERANCE
    return path, keys, labels


@pytest.mark.parametrize("zipmap", [True, False])
def test_multiclass_pipeline_with_string_labels(tmp_path, zipmap):
    x = rows()
    y = np.array(["setosa", "versicolor", "virginica"])[(x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5)]
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(10, 6), random_state=0,
                                                                            max_iter=400))]).fit(x, y)
    path, keys, labels = compare(pipe, x, tmp_path, options={"zipmap": zipmap})
    assert labels == list(pipe.predict(x))
    summary = run_distill("inspect", path)
    assert summary.returncode == 0 and "setosa, versicolor, virginica" in summary.stdout


def test_binary_classifier_with_integer_labels_and_min_max_scaling(tmp_path):
    x = rows(seed=1)
    y = (x[:, 2] - x[:, 3] > 0).astype(np.int64)
    pipe = Pipeline([("scale", MinMaxScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(8,), activation="tanh",
                                                                          random_state=0, max_iter=400))]).fit(x, y)
    _, keys, labels = compare(pipe, x, tmp_path)
    assert keys == [0, 1] and labels == [str(v) for v in pipe.predict(x)]


def test_regressor(tmp_path):
    x = rows(seed=2)
    y = x[:, 0] * 2 + np.sin(x[:, 1])
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPRegressor(hidden_layer_sizes=(12,), random_state=0,
                                                                           max_iter=500))]).fit(x, y)
    compare(pipe, x, tmp_path)


def test_every_subcommand_runs_on_an_onnx_model(tmp_path):
    x = rows(count=150, seed=3)
    y = (x[:, 0] > 0).astype(np.int64)
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(6,), random_state=0,
                                                                            max_iter=300))]).fit(x, y)
    path, _, _ = compare(pipe, x, tmp_path)
    data = str(tmp_path / "rows.csv")
    for command in ([path, "--data", data], ["sensitivity", path, "--data", data, "--method", "gradient"],
                    ["prune", path, "--data", data, "-o", str(tmp_path / "pruned.json")], ["compare", path, "--data", data]):
        result = run_distill(*command)
        assert result.returncode == 0, f"{command}: {result.stderr}"
