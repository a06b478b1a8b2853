#!/usr/bin/env python3
"""Generate the synthetic "checkerboard" sample for distill.

Run from anywhere (paths are relative to this file):

    python3 samples/checkerboard/generate.py

Writes, next to this script,

    model.json      the trained network in the "distill-model" JSON format
    train.csv       the training rows (x1..x8 + label column `cell`)
    test.csv        the held-out rows (same columns)
    reference.csv   scikit-learn's own predictions for the rows of test.csv
    README.md       how the data is made, architecture, sizes, accuracy, and how
                    well small axis-aligned trees can mimic the network

The data: 20,000 rows, 8 continuous inputs x1..x8, each uniform on [0, 1)
(numpy default_rng(0)).  Label `cell` is "black" when
floor(4*x1) + floor(4*x2) is even, otherwise "white": a 4x4 checkerboard over
(x1, x2); x3..x8 are pure noise.  No single axis-aligned split has any
information gain on a checkerboard, so greedy trees need many leaves before they
agree with the network.

Same conventions, pinned versions and checks as samples/train.py (whose
exporter, CSV writers and independent numpy forward pass are reused here): the
script is deterministic for a fixed set of versions (all seeds are fixed), and
before anything is written a numpy forward pass over the model JSON (serialised
and parsed back) must reproduce scikit-learn's predict_proba / predict within
1e-12, otherwise the script aborts.
"""

import json
import os
import platform
import sys
import time
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # samples/, for train.py's helpers
sys.dont_write_bytecode = True  # no samples/__pycache__ from importing train.py
import train as samples  # noqa: E402  (samples/train.py; importing it does not train anything)

NAME = "checkerboard"
N_ROWS = 20000
FEATURES = ["x%d" % i for i in range(1, 9)]
LABEL = "cell"
CLASSES = ["black", "white"]
TREE_LEAVES = [4, 8, 16, 32, 64]
HIDDEN = (64, 64)
MLP_PARAMS = dict(hidden_layer_sizes=HIDDEN, activation="relu", alpha=1e-4,
                  learning_rate_init=1e-3, max_iter=500, random_state=0)
ARCHITECTURE = (
    "`Pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(64, 64), activation=\"relu\", "
    "alpha=1e-4, learning_rate_init=1e-3, max_iter=500, random_state=0))` (adam, batch size 200): "
    "8 inputs -> 64 relu -> 64 relu -> 1 sigmoid.  The single logistic output unit is P(white) "
    "(= P(`outputs[1]`)); P(black) = 1 - P(white).")


def versions():
    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "pandas": pd.__version__}


def make_data():
    rng = np.random.default_rng(0)
    x = rng.random((N_ROWS, len(FEATURES)))
    frame = pd.DataFrame(x, columns=FEATURES)
    parity = (np.floor(4.0 * frame["x1"].to_numpy()) + np.floor(4.0 * frame["x2"].to_numpy())) % 2
    frame[LABEL] = np.where(parity == 0, CLASSES[0], CLASSES[1])
    return frame


def check_forward_pass(model, pipe, x_train, x_test):
    """The checks of samples/train.py finish(): predict_proba within 1e-12, argmax == predict."""
    samples.verify(model, x_train, pipe.predict_proba(x_train), NAME + " train predict_proba")
    samples.verify(model, x_test, pipe.predict_proba(x_test), NAME + " test predict_proba")
    parsed = json.loads(json.dumps(model))
    for x in (x_train, x_test):
        probs = samples.probabilities(parsed, samples.encode(parsed, x))
        ours = [CLASSES[i] for i in probs.argmax(axis=1)]
        theirs = [str(c) for c in samples.decode(pipe.predict(x), CLASSES)]
        if ours != theirs:
            sys.exit("FAIL %s: argmax differs from predict" % NAME)


def tree_fidelity(x_train, net_train, x_test, net_test):
    rows = []
    for leaves in TREE_LEAVES:
        tree = DecisionTreeClassifier(max_leaf_nodes=leaves, random_state=0).fit(x_train, net_train)
        fid = float(np.mean(tree.predict(x_test) == net_test))
        rows.append((leaves, tree.get_n_leaves(), fid, int(np.sum(tree.predict(x_test) == net_test))))
    return rows


def readme_text(model, frame_train, frame_test, acc, n_correct, n_iter, fidelity):
    v = versions()
    n_test = len(frame_test)
    table = "\n".join("| %d | %d | %.4f (%d of %d) |" % (leaves, got, fid, agree, n_test)
                      for leaves, got, fid, agree in fidelity)
    balance = ", ".join("%s %d" % (c, int((frame_train[LABEL] == c).sum())) for c in CLASSES)
    return """# {name}

Sample network `{model}` for distill, produced by `samples/checkerboard/generate.py`.

## Data

Synthetic: {n} rows, 8 continuous features `x1` .. `x8`, each drawn uniform on [0, 1)
(`numpy.random.default_rng(0).random((20000, 8))`), label `cell`: `black` when
`floor(4*x1) + floor(4*x2)` is even, otherwise `white`.  That is a 4x4 checkerboard over
(x1, x2) with cells of side 0.25; `x3` .. `x8` are pure noise.  The labels are exact (no label
noise), computed from the values as written to the CSV files.

- `train.csv`: {ntrain} rows ({balance}), `test.csv`: {ntest} rows
  (`train_test_split(test_size=0.25, random_state=0, stratify=y)`).
- Feature columns are in raw units; the label column is `cell`.
- `inputs` in model.json declare the domain `min` 0, `max` 1 for every feature (the sampling
  domain, not the observed data min/max).

## Network

{architecture}

Exported to `model.json` (format `distill-model`, version 1): one `standardize`
preprocessing step (the fitted `StandardScaler`) followed by dense layers
(weights in PyTorch `Linear` layout, rows = output neurons).

- Test-set accuracy: {acc:.4f} ({correct} of {ntest}) against the true checkerboard labels.
- Training converged after {n_iter} adam iterations.

## Reference point: greedy axis-aligned trees

`DecisionTreeClassifier(max_leaf_nodes=L, random_state=0)` fitted on the rows of `train.csv`
with the **network's** predicted labels as targets; fidelity = agreement with the network's
predicted labels on the rows of `test.csv`.  On a checkerboard no single axis-aligned split
has any information gain (each half still holds about 50% of each class), so small greedy
trees split on noise and stay near 50%.

| L (max_leaf_nodes) | leaves | test fidelity to the network |
|---:|---:|---|
{table}

## reference.csv

scikit-learn's own predictions for the rows of `test.csv`, in order
(columns `prediction` = predicted class, then `predict_proba` for `black`, `white`), numbers written with `%.17g`.  A numpy forward pass over
`model.json` reproduces them within 1e-12 (checked by the script before writing).

## Regenerating

    python3 samples/checkerboard/generate.py

Produced with Python {py}, scikit-learn {sk}, numpy {np_}, pandas {pd_}.  The helpers
(exporter, CSV writers, numpy forward pass) are imported from `samples/train.py`.
""".format(name=NAME, model=model["name"], n=N_ROWS, ntrain=len(frame_train), ntest=n_test,
           balance=balance, architecture=ARCHITECTURE, acc=acc, correct=n_correct, n_iter=n_iter,
           table=table, py=v["python"], sk=v["scikit-learn"], np_=v["numpy"], pd_=v["pandas"])


def main():
    v = versions()
    print("versions: " + ", ".join("%s %s" % kv for kv in v.items()))
    if v["scikit-learn"] != "1.9.1":
        print("WARNING: scikit-learn %s differs from the pinned 1.9.1; outputs will differ" % v["scikit-learn"])

    frame = make_data()
    y = frame[LABEL].to_numpy()
    tr, te = train_test_split(np.arange(len(frame)), test_size=0.25, random_state=0, stratify=y)
    frame_train = frame.loc[tr].reset_index(drop=True)
    frame_test = frame.loc[te].reset_index(drop=True)
    x_train, x_test = frame_train[FEATURES], frame_test[FEATURES]

    pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPClassifier(**MLP_PARAMS))])
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        pipe.fit(x_train, frame_train[LABEL].to_numpy())
    seconds = time.perf_counter() - start
    mlp = pipe.named_steps["mlp"]
    assert [str(c) for c in mlp.classes_] == CLASSES, mlp.classes_
    assert mlp.out_activation_ == "logistic" and mlp.coefs_[-1].shape[1] == 1

    model = {"format": "distill-model", "version": 1, "name": "checkerboard-mlp",
             "task": "classification",
             "inputs": [{"name": f, "type": "continuous", "min": 0, "max": 1} for f in FEATURES],
             "outputs": CLASSES,
             "preprocessing": [samples.scaler_step(pipe.named_steps["scale"])],
             "layers": samples.dense_layers(mlp)}
    assert [layer["activation"] for layer in model["layers"]] == ["relu", "relu", "sigmoid"]

    check_forward_pass(model, pipe, x_train, x_test)

    net_train = np.asarray(pipe.predict(x_train)).astype(str)
    net_test = np.asarray(pipe.predict(x_test)).astype(str)
    acc = accuracy_score(frame_test[LABEL].to_numpy(), net_test)
    n_correct = int(np.sum(frame_test[LABEL].to_numpy() == net_test))
    fidelity = tree_fidelity(x_train, net_train, x_test, net_test)

    proba = pipe.predict_proba(x_test)
    rows = [[p] + list(map(float, pr)) for p, pr in zip(net_test, proba)]

    with open(os.path.join(HERE, "model.json"), "w") as handle:
        text = samples.dumps(model)
        assert json.loads(text) == model
        handle.write(text + "\n")
    samples.write_csv(os.path.join(HERE, "train.csv"), frame_train)
    samples.write_csv(os.path.join(HERE, "test.csv"), frame_test)
    samples.write_reference(os.path.join(HERE, "reference.csv"), ["prediction"] + CLASSES, rows)
    with open(os.path.join(HERE, "README.md"), "w") as handle:
        handle.write(readme_text(model, frame_train, frame_test, acc, n_correct, mlp.n_iter_, fidelity))

    print("  wrote samples/%s" % NAME)
    print("network: test accuracy %.4f (%d of %d), %d iterations, training %.1f s"
          % (acc, n_correct, len(frame_test), mlp.n_iter_, seconds))
    print("tree fidelity to the network on test.csv (DecisionTreeClassifier fitted on network labels):")
    for leaves, got, fid, agree in fidelity:
        print("  max_leaf_nodes=%-3d leaves=%-3d fidelity %.4f (%d of %d)" % (leaves, got, fid, agree, len(frame_test)))
    for f in ("model.json", "train.csv", "test.csv", "reference.csv", "README.md"):
        print("  %-14s %9d bytes" % (f, os.path.getsize(os.path.join(HERE, f))))


if __name__ == "__main__":
    main()
