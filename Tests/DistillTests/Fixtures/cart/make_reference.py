#!/usr/bin/env python3
"""Independent CART references from scikit-learn for the distill samples.

Run from anywhere, after samples/train.py has produced samples/<name>/:

    python3 Tests/DistillTests/Fixtures/cart/make_reference.py

Written with scikit-learn 1.9.1 / numpy 2.4.6 (versions printed when run).

For each sample the "labels" are the NETWORK's outputs, not the data set's
labels: model.json is evaluated with a small numpy forward pass on the rows of
train.csv and test.csv (classification: argmax class; regression: the output
value).  The test-row results are checked against samples/<name>/reference.csv
(scikit-learn's own predictions), so they are the pipeline's .predict values.

A DecisionTreeClassifier(criterion="gini", random_state=0) (regression:
DecisionTreeRegressor(criterion="squared_error", random_state=0)) is fitted on
the train.csv features in raw units with the network's train labels, for

    max_depth in [1, 2, 3, 4, 5, 6, 8]            (min_samples_leaf 1)
    max_depth 4 with min_samples_leaf 5
    max_leaf_nodes in [2, 3, 4, 8, 16]            (max_depth None, min_samples_leaf 1)

and reference.json records per setting: leaves, depth, train_fidelity (accuracy
against the network's train labels; regression: R^2 against the network's
outputs), test_fidelity (same on test.csv), root_feature / root_threshold
(scikit-learn's threshold; scikit-learn stores X as float32, so the threshold
is the float64 mean of two float32-rounded neighbouring values), plus
informational fields:

    root_threshold_f64   midpoint of the two neighbouring float64 training values
    leaves_merged        (classification) leaves left after collapsing subtrees whose
                         leaves all predict the same class (scikit-learn keeps such
                         "redundant" splits: they lower gini without changing a prediction)
    split_ties           internal nodes whose chosen split has an equally good
                         competitor (other feature or other threshold; relative
                         gap <= 1e-12, recomputed here in float64)
    seed_stable          whether random_state 0..19 all give the same tree
                         (scikit-learn breaks feature ties by a random feature
                         permutation, so false means the result depends on tie-breaking)
    seed_variants        over random_state 0..19: the distinct leaf counts and depths,
                         [min, max] of train/test fidelity, distinct root features

penguins (which has categorical inputs) is included with the categorical
columns one-hot encoded (feature names "island=Biscoe", ...), marked
"encoding": "one-hot".
"""

import csv
import json
import os
import sys

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, r2_score
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
SAMPLES = os.path.join(ROOT, "samples")

SETTINGS = ([{"max_depth": d, "max_leaf_nodes": None, "min_samples_leaf": 1} for d in [1, 2, 3, 4, 5, 6, 8]]
            + [{"max_depth": 4, "max_leaf_nodes": None, "min_samples_leaf": 5}]
            + [{"max_depth": None, "max_leaf_nodes": n, "min_samples_leaf": 1} for n in [2, 3, 4, 8, 16]])
SEEDS = list(range(20))          # random_state 0 is the reference; 1..19 probe tie-breaking


# ---------------------------------------------------------------------------
# Network evaluation (numpy, float64)
# ---------------------------------------------------------------------------

def activate(name, x):
    if name == "identity":
        return x
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "softmax":
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise ValueError(name)


def read_csv(path):
    with open(path, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [dict(zip(header, row)) for row in reader]


def encode(model, rows):
    out = []
    for row in rows:
        vec = []
        for spec in model["inputs"]:
            if spec["type"] == "categorical":
                vec.extend(1.0 if row[spec["name"]] == v else 0.0 for v in spec["values"])
            else:
                vec.append(float(row[spec["name"]]))
        out.append(vec)
    return np.array(out)


def network(model, rows):
    x = encode(model, rows)
    for step in model["preprocessing"]:
        x = (x - np.array(step["mean"])) / np.array(step["std"])
    for layer in model["layers"]:
        assert layer["type"] == "dense"
        x = activate(layer["activation"], x @ np.array(layer["weights"]).T + np.array(layer["bias"]))
    if model["task"] == "regression":
        return x[:, 0]
    if x.shape[1] == 1:
        x = np.column_stack([1.0 - x[:, 0], x[:, 0]])
    return np.array([model["outputs"][i] for i in x.argmax(axis=1)])


# ---------------------------------------------------------------------------
# Tie analysis (float64 recomputation of every candidate split at each node)
# ---------------------------------------------------------------------------

def node_samples(tree, x):
    """Map node id -> boolean mask of training rows reaching it."""
    t = tree.tree_
    indicator = tree.decision_path(x.astype(np.float32)).toarray().astype(bool)
    return {node: indicator[:, node] for node in range(t.node_count)}


def split_scores(x, y, regression, classes):
    """All candidate (feature, threshold_index) splits with their proxy score (higher is better)."""
    scores = []
    n = len(y)
    for f in range(x.shape[1]):
        order = np.argsort(x[:, f], kind="stable")
        xs, ys = x[order, f], y[order]
        if regression:
            csum = np.cumsum(ys)
            total = csum[-1]
        else:
            onehot = (ys[:, None] == classes[None, :]).astype(np.float64)
            ccount = np.cumsum(onehot, axis=0)
            total = ccount[-1]
        for i in range(1, n):
            if xs[i] <= xs[i - 1]:
                continue
            nl, nr = i, n - i
            if regression:
                sl = csum[i - 1]
                score = sl * sl / nl + (total - sl) ** 2 / nr
            else:
                cl = ccount[i - 1]
                score = float(np.sum(cl * cl)) / nl + float(np.sum((total - cl) ** 2)) / nr
            scores.append((score, f, (xs[i - 1] + xs[i]) / 2.0))
    return scores


def count_ties(tree, x, y, regression):
    t = tree.tree_
    masks = node_samples(tree, x)
    classes = np.unique(y)
    ties = 0
    for node in range(t.node_count):
        if t.children_left[node] == -1:
            continue
        m = masks[node]
        scores = split_scores(x[m], y[m], regression, classes)
        best = max(s for s, _, _ in scores)
        tol = 1e-12 * max(1.0, abs(best))
        if sum(1 for s, _, _ in scores if s >= best - tol) > 1:
            ties += 1
    return ties


# ---------------------------------------------------------------------------

def merged_leaves(tree):
    """Leaves left after collapsing every subtree whose leaves all predict the same class."""
    t = tree.tree_

    def walk(node):
        # returns (set of predicted classes in the subtree, leaf count after merging)
        if t.children_left[node] == -1:
            return {int(np.argmax(t.value[node]))}, 1
        cl, nl = walk(t.children_left[node])
        cr, nr = walk(t.children_right[node])
        classes = cl | cr
        if len(classes) == 1:
            return classes, 1
        return classes, nl + nr
    return walk(0)[1]


def make_tree(regression, setting, seed):
    kwargs = dict(max_depth=setting["max_depth"], max_leaf_nodes=setting["max_leaf_nodes"],
                  min_samples_leaf=setting["min_samples_leaf"], random_state=seed)
    if regression:
        return DecisionTreeRegressor(criterion="squared_error", **kwargs)
    return DecisionTreeClassifier(criterion="gini", **kwargs)


def signature(tree):
    t = tree.tree_
    return (t.feature.tolist(), t.threshold.tolist(), t.children_left.tolist())


def fit_eval(regression, setting, seed, x_train, y_train, x_test, y_test):
    tree = make_tree(regression, setting, seed).fit(x_train, y_train)
    if regression:
        train_fid = r2_score(y_train, tree.predict(x_train))
        test_fid = r2_score(y_test, tree.predict(x_test))
    else:
        train_fid = accuracy_score(y_train, tree.predict(x_train))
        test_fid = accuracy_score(y_test, tree.predict(x_test))
    return tree, float(train_fid), float(test_fid)


def analyse(name, feature_names, x_train, y_train, x_test, y_test, regression, encoding=None):
    results = []
    for setting in SETTINGS:
        tree, train_fid, test_fid = fit_eval(regression, setting, 0, x_train, y_train, x_test, y_test)
        t = tree.tree_
        entry = dict(setting)
        entry.update({
            "leaves": int(tree.get_n_leaves()),
            "depth": int(tree.get_depth()),
            "train_fidelity": train_fid,
            "test_fidelity": test_fid,
            "root_feature": None, "root_threshold": None,
        })
        if encoding:
            entry["encoding"] = encoding
        if t.node_count > 1:
            f = int(t.feature[0])
            thr = float(t.threshold[0])
            col = x_train[:, f]
            lo, hi = col[col <= thr].max(), col[col > thr].min()
            entry["root_feature"] = feature_names[f]
            entry["root_threshold"] = thr
            entry["root_threshold_f64"] = float((lo + hi) / 2.0)
        entry["leaves_merged"] = None if regression else merged_leaves(tree)
        entry["split_ties"] = count_ties(tree, x_train, y_train, regression)
        # tie-breaking sensitivity: refit with other random_states (other feature permutations)
        sig = signature(tree)
        variants = [(tree, train_fid, test_fid)] + [
            fit_eval(regression, setting, s, x_train, y_train, x_test, y_test) for s in SEEDS[1:]]
        entry["seed_stable"] = all(signature(v[0]) == sig for v in variants)
        entry["seed_variants"] = {
            "seeds": [SEEDS[0], SEEDS[-1]],
            "leaves": sorted({int(v[0].get_n_leaves()) for v in variants}),
            "depth": sorted({int(v[0].get_depth()) for v in variants}),
            "train_fidelity": [min(v[1] for v in variants), max(v[1] for v in variants)],
            "test_fidelity": [min(v[2] for v in variants), max(v[2] for v in variants)],
            "root_features": sorted({feature_names[int(v[0].tree_.feature[0])]
                                     for v in variants if v[0].tree_.node_count > 1}),
        }
        results.append(entry)
        sv = entry["seed_variants"]
        print("  %-14s depth=%-4s leaves_cap=%-4s msl=%d -> leaves %2d depth %d train %.4f test %.4f root %s <= %s ties %d stable %s%s"
              % (name, setting["max_depth"], setting["max_leaf_nodes"], setting["min_samples_leaf"],
                 entry["leaves"], entry["depth"], train_fid, test_fid, entry["root_feature"],
                 entry["root_threshold"], entry["split_ties"], entry["seed_stable"],
                 "" if entry["seed_stable"] else "  [leaves %s train %.4f-%.4f test %.4f-%.4f roots %s]" % (
                     sv["leaves"], sv["train_fidelity"][0], sv["train_fidelity"][1],
                     sv["test_fidelity"][0], sv["test_fidelity"][1], sv["root_features"])))
    return results


def load_sample(name):
    folder = os.path.join(SAMPLES, name)
    with open(os.path.join(folder, "model.json")) as handle:
        model = json.load(handle)
    _, train = read_csv(os.path.join(folder, "train.csv"))
    _, test = read_csv(os.path.join(folder, "test.csv"))
    ref_header, ref = read_csv(os.path.join(folder, "reference.csv"))
    y_train = network(model, train)
    y_test = network(model, test)
    # the forward pass must agree with scikit-learn's predictions in reference.csv
    if model["task"] == "regression":
        expected = np.array([float(r[ref_header[0]]) for r in ref])
        err = np.max(np.abs(y_test - expected) / np.maximum(1.0, np.abs(expected)))
        if err > 1e-12:
            sys.exit("FAIL %s: network outputs differ from reference.csv by %g" % (name, err))
    else:
        if [r["prediction"] for r in ref] != list(y_test):
            sys.exit("FAIL %s: network labels differ from reference.csv" % name)
    return model, train, test, y_train, y_test


def features_raw(model, rows):
    names = [s["name"] for s in model["inputs"]]
    assert all(s["type"] == "continuous" for s in model["inputs"])
    return names, np.array([[float(r[n]) for n in names] for r in rows])


def features_onehot(model, rows):
    names = []
    for s in model["inputs"]:
        if s["type"] == "categorical":
            names.extend("%s=%s" % (s["name"], v) for v in s["values"])
        else:
            names.append(s["name"])
    return names, encode(model, rows)


def main():
    print("scikit-learn %s, numpy %s" % (sklearn.__version__, np.__version__))
    reference = {}
    for name in ["iris", "breast_cancer", "diabetes", "penguins"]:
        model, train, test, y_train, y_test = load_sample(name)
        regression = model["task"] == "regression"
        if name == "penguins":
            names, x_train = features_onehot(model, train)
            _, x_test = features_onehot(model, test)
            encoding = "one-hot"
        else:
            names, x_train = features_raw(model, train)
            _, x_test = features_raw(model, test)
            encoding = None
        if not regression:
            labels, counts = np.unique(y_train, return_counts=True)
            print("%s: network train labels %s" % (name, dict(zip(labels.tolist(), counts.tolist()))))
        reference[name] = analyse(name, names, x_train, y_train, x_test, y_test, regression, encoding)
    with open(os.path.join(HERE, "reference.json"), "w") as handle:
        handle.write("{\n")
        parts = []
        for name, entries in reference.items():
            body = ",\n".join("  " + json.dumps(e) for e in entries)
            parts.append(" %s: [\n%s\n ]" % (json.dumps(name), body))
        handle.write(",\n".join(parts) + "\n}\n")
    with open(os.path.join(HERE, "reference.json")) as handle:
        assert json.load(handle) == reference
    print("wrote reference.json")


if __name__ == "__main__":
    main()
