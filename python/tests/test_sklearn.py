"""scikit-learn pipelines exported by distill_export against scikit-learn itself: `distill predict` on the
same rows gives `predict_proba` (or `predict`) within 1e-9, and the predicted classes are the same."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.decomposition import PCA
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler

import distill_export
from conftest import predict, run_distill, write_rows

TOLERANCE = 1e-9


def table(rows=300, seed=0):
    """Mixed rows: four continuous columns on different scales, two categorical ones (text, integers)."""
    rng = np.random.default_rng(seed)
    columns = {
        "age": rng.uniform(18, 90, rows),
        "income": rng.lognormal(10, 1, rows),
        "score": rng.normal(0, 1, rows),
        "region": rng.choice(["north", "south", "east", "west"], rows),
        "visits": rng.integers(0, 30, rows).astype(float),
        "plan": rng.choice([1, 2, 3], rows),
    }
    logit = (columns["age"] - 50) / 15 + columns["score"] + (columns["region"] == "north") - 0.5 * (columns["plan"] == 3)
    return columns, logit


def check(model, columns, x, tmp_path, classifier=True, **export_options):
    path = str(tmp_path / "model.json")
    rows = str(tmp_path / "rows.csv")
    distill_export.export(model, path, **export_options)
    write_rows(rows, columns)
    labels, values = predict(path, rows)
    if classifier:
        expected = model.predict_proba(x)
        assert values.shape == expected.shape
        assert np.max(np.abs(values - expected)) <= TOLERANCE
        assert labels == [str(c) for c in model.predict(x)]
    else:
        expected = np.asarray(model.predict(x), dtype=np.float64).reshape(len(values), -1)
        assert np.max(np.abs(values - expected) / np.maximum(1, np.abs(expected))) <= TOLERANCE
    return json.load(open(path))


def test_column_transformer_pipeline_matches_predict_proba(tmp_path):
    import pandas

    columns, logit = table()
    y = np.where(logit > 0.5, "high", np.where(logit > -0.5, "mid", "low"))
    x = pandas.DataFrame(columns)
    pipe = Pipeline([
        ("encode", ColumnTransformer([
            ("num", StandardScaler(), ["age", "income", "score"]),
            ("range", MinMaxScaler(), ["visits"]),
            ("cat", OneHotEncoder(sparse_output=False), ["region", "plan"]),
        ])),
        ("scale", StandardScaler()),
        ("mlp", MLPClassifier(hidden_layer_sizes=(12, 6), random_state=0, max_iter=400)),
    ]).fit(x, y)
    model = check(pipe, columns, x, tmp_path, data=x)
    specs = {spec["name"]: spec for spec in model["inputs"]}
    assert [spec["name"] for spec in model["inputs"]] == ["age", "income", "score", "visits", "region", "plan"]
    assert specs["region"] == {"name": "region", "type": "categorical", "values": ["east", "north", "south", "west"]}
    assert specs["plan"]["values"] == ["1", "2", "3"]
    assert specs["age"]["min"] == float(np.min(columns["age"])) and specs["age"]["max"] == float(np.max(columns["age"]))
    assert model["outputs"] == ["high", "low", "mid"]
    assert [step["type"] for step in model["preprocessing"]] == ["standardize", "standardize"]


def test_binary_classifier_on_an_array_is_one_sigmoid_unit(tmp_path):
    columns, logit = table(seed=1)
    names = ["age", "income", "score", "visits"]
    x = np.column_stack([columns[n] for n in names])
    y = (logit > 0).astype(int)
    pipe = Pipeline([("scale", MinMaxScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(8,), activation="tanh",
                                                                          random_state=0, max_iter=500))]).fit(x, y)
    model = check(pipe, {n: columns[n] for n in names}, x, tmp_path, feature_names=names)
    assert model["outputs"] == ["0", "1"]
    assert model["layers"][-1]["activation"] == "sigmoid" and len(model["layers"][-1]["bias"]) == 1


def test_bare_regressor_with_several_outputs_and_packed_arrays(tmp_path):
    columns, logit = table(seed=2)
    names = ["age", "income", "score"]
    x = np.column_stack([columns[n] for n in names])
    x[:, 1] = np.log(x[:, 1])
    y = np.column_stack([logit, np.sin(columns["score"])])
    mlp = MLPRegressor(hidden_layer_sizes=(40, 40), activation="relu", random_state=0, max_iter=300).fit(x, y)
    model = check(mlp, {"x0": x[:, 0], "x1": x[:, 1], "x2": x[:, 2]}, x, tmp_path, classifier=False, packed=True)
    assert model["task"] == "regression" and model["outputs"] == ["y0", "y1"]
    assert model["layers"][1]["weights"]["dtype"] == "float64"
    assert model["layers"][1]["weights"]["shape"] == [40, 40]
    # Packed as float32 on request: the large arrays only, rounded, still close.
    small = distill_export.convert(mlp, packed="float32")
    assert small["layers"][1]["weights"]["dtype"] == "float32" and isinstance(small["layers"][0]["bias"], list)
    distill_export.write(small, str(tmp_path / "small.json"))
    _, rounded = predict(str(tmp_path / "small.json"), str(tmp_path / "rows.csv"))
    expected = mlp.predict(x)
    assert 0 < np.max(np.abs(rounded - expected) / np.maximum(1, np.abs(expected))) <= 1e-5


def test_one_hot_encoder_alone_makes_every_input_categorical(tmp_path):
    columns, logit = table(seed=3)
    x = np.column_stack([columns["region"], columns["plan"].astype(str)])
    y = logit > 0
    pipe = Pipeline([("onehot", OneHotEncoder(sparse_output=False)),
                     ("mlp", MLPClassifier(hidden_layer_sizes=(5,), random_state=0, max_iter=500))]).fit(x, y)
    model = check(pipe, {"region": columns["region"], "plan": columns["plan"]}, x, tmp_path,
                  feature_names=["region", "plan"])
    assert [spec["type"] for spec in model["inputs"]] == ["categorical", "categorical"]
    assert model["outputs"] == ["False", "True"]


def test_every_subcommand_runs_on_an_exported_model(tmp_path):
    columns, logit = table(rows=200, seed=4)
    names = ["age", "score", "visits"]
    x = np.column_stack([columns[n] for n in names])
    y = np.where(logit > 0, "yes", "no")
    pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(6,), random_state=0,
                                                                            max_iter=500))]).fit(x, y)
    path, rows = str(tmp_path / "model.json"), str(tmp_path / "rows.csv")
    distill_export.export(pipe, path, feature_names=names, data=x)
    write_rows(rows, {n: columns[n] for n in names})
    for arguments in (["--data", rows], ["predict", "--data", rows], ["sensitivity", "--data", rows, "--method", "gradient"],
                      ["prune", "--data", rows, "-o", str(tmp_path / "pruned.json")], ["compare", "--data", rows],
                      ["inspect"]):
        command = [arguments[0], path, *arguments[1:]] if arguments[0] in ("predict", "sensitivity", "prune", "compare", "inspect") \
            else [path, *arguments]
        result = run_distill(*command)
        assert result.returncode == 0, f"{command}: {result.stderr}"
    surrogate = str(tmp_path / "surrogate.json")
    assert run_distill(path, "--data", rows, "--save-surrogate", surrogate).returncode == 0
    assert run_distill("emit", surrogate, "--swift", str(tmp_path / "S.swift")).returncode == 0


def test_unsupported_steps_are_named():
    x = np.random.default_rng(0).normal(size=(50, 3))
    y = x[:, 0] > 0
    pipe = Pipeline([("pca", PCA(2)), ("mlp", MLPClassifier(hidden_layer_sizes=(3,), max_iter=50))]).fit(x, y)
    with pytest.raises(distill_export.ExportError, match="PCA"):
        distill_export.convert(pipe)
    with pytest.raises(distill_export.ExportError, match="not fitted"):
        distill_export.convert(MLPClassifier())
    dropped = Pipeline([("onehot", OneHotEncoder(drop="first", sparse_output=False)),
                        ("mlp", MLPClassifier(hidden_layer_sizes=(3,), max_iter=50))]).fit(np.array([["a"], ["b"], ["c"]] * 5), [0, 1, 1] * 5)
    with pytest.raises(distill_export.ExportError, match="drop"):
        distill_export.convert(dropped)
    with pytest.raises(distill_export.ExportError, match="cannot export"):
        distill_export.convert(object())


def test_command_line_exports_a_joblib_file(tmp_path):
    import joblib

    columns, logit = table(rows=120, seed=5)
    x = np.column_stack([columns["age"], columns["score"]])
    mlp = MLPClassifier(hidden_layer_sizes=(4,), random_state=0, max_iter=300).fit(x, logit > 0)
    saved, out = str(tmp_path / "model.joblib"), str(tmp_path / "model.json")
    joblib.dump(mlp, saved)
    names, rows = str(tmp_path / "names.txt"), str(tmp_path / "rows.csv")
    open(names, "w").write("age\nscore\n")
    write_rows(rows, {"age": columns["age"], "score": columns["score"]})
    command = [sys.executable, "-m", "distill_export.cli", saved, "-o", out, "--feature-names", names, "--data", rows]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    model = json.load(open(out))
    assert [spec["name"] for spec in model["inputs"]] == ["age", "score"]
    assert model["inputs"][0]["min"] == float(np.min(columns["age"]))
    _, values = predict(out, rows)
    assert np.max(np.abs(values - mlp.predict_proba(x))) <= TOLERANCE
    # Bad input: a diagnostic naming the file and a non-zero status, nothing written.
    result = subprocess.run([sys.executable, "-m", "distill_export.cli", str(tmp_path / "model.txt"), "-o",
                             str(tmp_path / "other.json")], capture_output=True, text=True)
    assert result.returncode == 1 and "model.txt" in result.stderr
    assert not os.path.exists(tmp_path / "other.json")


def test_an_image_is_declared_and_drawn(tmp_path):
    from sklearn.datasets import load_digits

    digits = load_digits()
    names = ["p%d_%d" % (r, c) for r in range(8) for c in range(8)]
    mlp = MLPClassifier(hidden_layer_sizes=(10,), random_state=0, max_iter=300).fit(digits.data[:300], digits.target[:300])
    path, rows, pixels = str(tmp_path / "model.json"), str(tmp_path / "rows.csv"), str(tmp_path / "maps.svg")
    model = distill_export.export(mlp, path, feature_names=names, image=(8, 8))
    assert model["image"] == {"height": 8, "width": 8, "inputs": ["p0_0", "p7_7"]}
    write_rows(rows, {n: digits.data[:20, i] for i, n in enumerate(names)})
    result = run_distill("explain", path, "--row", rows, "--data", rows, "--pixels", pixels)
    assert result.returncode == 0, result.stderr
    assert open(pixels).read().count('<rect x="') >= 5 * 64
    # A dict names the first input and the channels; a wrong size is refused before anything is written.
    colour = distill_export.image_member([{"name": "id", "type": "continuous"}] + [{"name": n, "type": "continuous"} for n in names[:12]],
                                         {"height": 2, "width": 2, "channels": 3, "layout": "chw", "first": "p0_0"})
    assert colour == {"height": 2, "width": 2, "channels": 3, "layout": "chw", "inputs": ["p0_0", "p1_3"]}
    with pytest.raises(distill_export.ExportError, match="need 81 inputs; the model has 64"):
        distill_export.convert(mlp, feature_names=names, image=(9, 9))
