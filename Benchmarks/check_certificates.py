"""An independent check of `distill certify`'s result: what the issue's outside checker does.

Reads MODEL (the distill model format, specs/model-format.md) with its own numpy forward pass (float64, written
from the spec, sharing no code with distill) and RESULT (`distill certify ... --json RESULT`), then:
  - samples every certified box densely: its centre, random corners and uniform points inside (a binary feature
    takes 0 or 1, a categorical one any of the box's categories), and counts every point where the network's
    predicted class is not the rule's (a regression output: farther than the tolerance from the rule's value);
  - checks that every certified box lies inside its rule's box;
  - re-evaluates every counterexample: it must lie inside its rule's box, the network must disagree with the
    rule there, and its reported probabilities (outputs) must be the network's.
Exits 1 when anything fails.

Usage: python3 Benchmarks/check_certificates.py MODEL RESULT [--points 200] [--corners 32] [--seed 1]
                                                [--batch 200000]
Needs numpy only.
"""
import argparse
import base64
import json
import math
import sys

import numpy as np


def array(value, matrix=False):
    """A plain or packed numeric array of the model format (§8) as float64."""
    if isinstance(value, dict):
        dtype = {"float32": "<f4", "float64": "<f8"}[value["dtype"]]
        text = "".join(c for c in value["base64"] if c.isalnum() or c in "+/=")
        data = np.frombuffer(base64.b64decode(text), dtype=dtype).astype(np.float64)
        return data.reshape([int(s) for s in value["shape"]])
    data = np.asarray(value, dtype=np.float64)
    return data.reshape(len(value), -1) if matrix else data


_erf = np.vectorize(math.erf, otypes=[np.float64])


def activate(name, x, alpha):
    name = {"linear": "identity", "logistic": "sigmoid", "swish": "silu"}.get(name or "identity", name or "identity")
    if name == "identity":
        return x
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "leaky_relu":
        return np.where(x > 0, x, (0.01 if alpha is None else alpha) * x)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    if name == "elu":
        return np.where(x > 0, x, (1.0 if alpha is None else alpha) * np.expm1(np.minimum(x, 0)))
    if name == "gelu":
        return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))
    if name == "softplus":
        return np.where(x > 0, x + np.log1p(np.exp(-np.abs(x))), np.log1p(np.exp(np.minimum(x, 0))))
    if name == "silu":
        return x / (1.0 + np.exp(-x))
    if name == "selu":
        lam, a = 1.0507009873554805, 1.6732632423543772
        return np.where(x > 0, lam * x, lam * a * np.expm1(np.minimum(x, 0)))
    if name == "hard_sigmoid":
        return np.clip((0.2 if alpha is None else alpha) * x + 0.5, 0.0, 1.0)
    raise SystemExit(f"unknown activation {name}")


class Model:
    def __init__(self, path):
        spec = json.load(open(path))
        self.task = spec["task"]
        self.inputs = spec["inputs"]
        self.outputs = spec["outputs"]
        self.steps = [(array(s["mean"]), array(s["std"])) for s in spec.get("preprocessing") or []]
        self.layers = spec["layers"]
        self.final = None
        for layer in self.layers:
            if layer["type"] in ("dense", "activation"):
                self.final = layer.get("activation")
            elif layer["type"] == "batchnorm":
                self.final = None
            if layer["type"] == "dense":
                layer["_w"], layer["_b"] = array(layer["weights"], matrix=True), array(layer["bias"])
            if layer["type"] == "batchnorm":
                layer["_bn"] = [array(layer[k]) for k in ("gamma", "beta", "mean", "variance")]

    def encode(self, columns):
        """columns: one array per input (floats, or category strings for categorical inputs)."""
        parts = []
        for spec, column in zip(self.inputs, columns):
            if spec["type"] == "categorical":
                values = spec["values"]
                parts.append(np.stack([(column == v).astype(np.float64) for v in values], axis=1))
            else:
                parts.append(np.asarray(column, dtype=np.float64)[:, None])
        return np.concatenate(parts, axis=1)

    def evaluate(self, columns):
        """Class probabilities (classification) or outputs (regression), one row per point."""
        x = self.encode(columns)
        for mean, std in self.steps:
            x = (x - mean) / std
        for layer in self.layers:
            kind = layer["type"]
            if kind == "dense":
                x = activate(layer.get("activation"), x @ layer["_w"].T + layer["_b"], layer.get("alpha"))
            elif kind == "activation":
                x = activate(layer["activation"], x, layer.get("alpha"))
            elif kind == "batchnorm":
                gamma, beta, mean, variance = layer["_bn"]
                epsilon = layer.get("epsilon")
                x = gamma * (x - mean) / np.sqrt(variance + (1e-5 if epsilon is None else epsilon)) + beta
        if self.task == "regression":
            return x
        if x.shape[1] == 1:
            p = x[:, 0] if self.final in ("sigmoid", "logistic") else 1.0 / (1.0 + np.exp(-x[:, 0]))
            return np.stack([1.0 - p, p], axis=1)
        if self.final == "softmax":
            return x
        return activate("softmax", x, None)


def sample_box(model, box, count, corners, rng):
    """The box's centre, `corners` random corners and `count` uniform points, as one column per input."""
    total = 1 + corners + count
    columns = []
    for spec in model.inputs:
        name, kind = spec["name"], spec["type"]
        bounds = box[name]
        if kind == "categorical":
            categories = np.array(bounds["categories"], dtype=object)
            columns.append(categories[rng.integers(0, len(categories), total)])
            continue
        low, high = float(bounds["min"]), float(bounds["max"])
        if kind == "binary":
            choices = np.array(sorted({low, high}))
            columns.append(choices[rng.integers(0, len(choices), total)])
            continue
        column = np.empty(total)
        column[0] = 0.5 * (low + high)
        column[1:1 + corners] = np.where(rng.integers(0, 2, corners) == 1, high, low)
        column[1 + corners:] = rng.uniform(low, high, count)
        columns.append(column)
    return columns


def inside(model, inner, outer):
    for spec in model.inputs:
        name = spec["name"]
        if spec["type"] == "categorical":
            if not set(inner[name]["categories"]) <= set(outer[name]["categories"]):
                return False
        elif inner[name]["min"] < outer[name]["min"] or inner[name]["max"] > outer[name]["max"]:
            return False
    return True


def point_in(model, point, box):
    for spec in model.inputs:
        name, value = spec["name"], point[spec["name"]]
        if spec["type"] == "categorical":
            if value not in box[name]["categories"]:
                return False
        elif not box[name]["min"] <= value <= box[name]["max"]:
            return False
    return True


SLACK = 1e-9


def margins(model, rule, answers, tolerance):
    """How far each point is from failing the rule's claim (negative: it fails). Regression: the tolerance less
    the largest distance from the rule's value; classification: the rule's class's probability less the
    largest other (spec §9: the most probable class wins)."""
    if model.task == "regression":
        expected = np.array([rule["output"][o] for o in model.outputs]) if isinstance(rule["output"], dict) \
            else np.atleast_1d(np.array(rule["output"], dtype=np.float64))
        return tolerance - np.max(np.abs(answers - expected), axis=1)
    index = model.outputs.index(rule["class"])
    others = np.delete(answers, index, axis=1)
    return answers[:, index] - others.max(axis=1)


def disagreements(model, rule, answers, tolerance):
    """Points where the rule's claim fails by more than rounding (SLACK): numpy sums in another order than
    distill, so a point within 1e-9 of the boundary proves nothing either way."""
    return margins(model, rule, answers, tolerance) < -SLACK


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("result")
    parser.add_argument("--points", type=int, default=200, help="uniform points per certified box")
    parser.add_argument("--corners", type=int, default=32, help="random corners per certified box")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200_000, help="points evaluated at once")
    args = parser.parse_args()
    model, result = Model(args.model), json.load(open(args.result))
    tolerance = result.get("tolerance") or 0.0
    rng = np.random.default_rng(args.seed)
    failures, checked_points, checked_boxes = [], 0, 0
    for rule in result["rules"]:
        boxes = rule["certified_boxes"]
        for box in boxes:
            if not inside(model, box, rule["box"]):
                failures.append(f"{rule['rule']}: a certified box leaves the rule's box: {box}")
        per_box = 1 + args.corners + args.points
        chunk = max(1, args.batch // per_box)
        for start in range(0, len(boxes), chunk):
            samples = [sample_box(model, box, args.points, args.corners, rng) for box in boxes[start:start + chunk]]
            columns = [np.concatenate([s[i] for s in samples]) for i in range(len(model.inputs))]
            wrong = disagreements(model, rule, model.evaluate(columns), tolerance)
            checked_points += len(wrong)
            for index in np.flatnonzero(wrong)[:5]:
                point = {spec["name"]: columns[i][index] for i, spec in enumerate(model.inputs)}
                failures.append(f"{rule['rule']}: the network disagrees inside certified box "
                                f"{start + index // per_box + 1} at {point}")
        checked_boxes += len(boxes)
        for number, example in enumerate(rule["counterexamples"], 1):
            point = example["inputs"]
            if not point_in(model, point, rule["box"]):
                failures.append(f"{rule['rule']}: counterexample {number} lies outside the rule's box")
            columns = [np.array([point[spec["name"]]], dtype=object if spec["type"] == "categorical" else np.float64)
                       for spec in model.inputs]
            answers = model.evaluate(columns)
            if margins(model, rule, answers, tolerance)[0] > SLACK:
                failures.append(f"{rule['rule']}: the network agrees with the rule at counterexample {number}")
            reported = example.get("probabilities") or example.get("outputs")
            if isinstance(reported, dict):
                reported = [reported[o] for o in model.outputs]
            if reported is not None and np.max(np.abs(np.array(reported, dtype=np.float64) - answers[0])) > 1e-9:
                failures.append(f"{rule['rule']}: counterexample {number}'s reported answers {reported} are not the "
                                f"network's {answers[0].tolist()}")
    counterexamples = sum(len(r["counterexamples"]) for r in result["rules"])
    print(f"{args.result}: {checked_boxes} certified boxes, {checked_points} points sampled in them, "
          f"{counterexamples} counterexamples re-evaluated; {len(failures)} failures")
    for line in failures[:20]:
        print("FAIL", line)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
