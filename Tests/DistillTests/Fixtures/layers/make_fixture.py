#!/usr/bin/env python3
"""Generate layer/activation fixtures for the distill model evaluator.

Run from anywhere (outputs go next to this file):

    python3 Tests/DistillTests/Fixtures/layers/make_fixture.py

Needs only numpy (seeded, deterministic; written with numpy 2.x).  Every
expected value is computed by the small float64 numpy forward pass below,
which re-reads each model from its JSON text (packed arrays decoded from
base64), so the expected outputs are exactly what the JSON describes.

Files written (see README.md):
  all_layers.json / _inputs.csv / _expected.csv   regression chain, every layer type
  classifier.json / ...                           3-class model ending in dense softmax
  binary.json / ...                               binary model ending in ONE sigmoid unit
  packed64.json / ...                             all_layers with every array packed float64
  packed32.json / ...                             all_layers with every array packed float32
"""

import base64
import copy
import csv
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
N_ROWS = 50

# ---------------------------------------------------------------------------
# Reference forward pass (float64)
# ---------------------------------------------------------------------------

_erf = np.vectorize(math.erf, otypes=[np.float64])


def activate(name, x, alpha=None):
    if name == "identity":
        return x
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "leaky_relu":
        a = 0.01 if alpha is None else alpha
        return np.where(x >= 0.0, x, a * x)
    if name == "sigmoid":
        return 1.0 / (1.0 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        z = x - x.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
    if name == "elu":
        a = 1.0 if alpha is None else alpha
        return np.where(x > 0.0, x, a * np.expm1(np.minimum(x, 0.0)))
    if name == "gelu":
        return x * 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))
    if name == "softplus":
        return np.logaddexp(0.0, x)          # log(1 + exp(x)), overflow-safe
    if name == "silu":
        return x / (1.0 + np.exp(-x))
    if name == "_gelu_tanh":                  # only used by the mutation check
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError(name)


def array(value):
    if isinstance(value, dict):
        dtype = {"float32": "<f4", "float64": "<f8"}[value["dtype"]]
        data = np.frombuffer(base64.b64decode(value["base64"]), dtype=dtype)
        return data.astype(np.float64).reshape(value["shape"])
    return np.asarray(value, dtype=np.float64)


def encode(model, rows):
    """rows: list of dicts of raw CSV strings -> encoded float64 matrix."""
    out = []
    for row in rows:
        vec = []
        for spec in model["inputs"]:
            cell = row[spec["name"]]
            if spec["type"] == "categorical":
                vec.extend(1.0 if cell == v else 0.0 for v in spec["values"])
            else:
                vec.append(float(cell))
        out.append(vec)
    return np.array(out, dtype=np.float64)


def forward(model, x, trace=None):
    for step in model.get("preprocessing", []):
        assert step["type"] == "standardize"
        x = (x - array(step["mean"])) / array(step["std"])
    for layer in model["layers"]:
        kind = layer["type"]
        if kind == "dense":
            z = x @ array(layer["weights"]).T + array(layer["bias"])
            if trace is not None:
                trace.append((layer["activation"], z))
            x = activate(layer["activation"], z, layer.get("alpha"))
        elif kind == "activation":
            if trace is not None:
                trace.append((layer["activation"] + " (layer)", x))
            x = activate(layer["activation"], x, layer.get("alpha"))
        elif kind == "batchnorm":
            eps = layer.get("epsilon", 1e-5)
            x = (array(layer["gamma"]) * (x - array(layer["mean"]))
                 / np.sqrt(array(layer["variance"]) + eps) + array(layer["beta"]))
        elif kind == "dropout":
            pass
        else:
            raise ValueError(kind)
    return x


def outputs_table(model, x):
    out = forward(model, x)
    if model["task"] == "classification" and out.shape[1] == 1:
        out = np.column_stack([1.0 - out[:, 0], out[:, 0]])
    return out


# ---------------------------------------------------------------------------
# Model construction
# ---------------------------------------------------------------------------

rng = np.random.default_rng(20240611)


def dense(n_in, n_out, activation, scale=1.5, bias=0.5, alpha=None):
    w = rng.normal(0.0, scale / math.sqrt(n_in), size=(n_out, n_in))
    b = rng.normal(0.0, bias, size=n_out)
    layer = {"type": "dense", "weights": w.tolist(), "bias": b.tolist(), "activation": activation}
    if alpha is not None:
        layer["alpha"] = alpha
    return layer


def batchnorm(n, epsilon):
    return {"type": "batchnorm",
            "gamma": rng.uniform(0.5, 2.0, n).tolist(),
            "beta": rng.normal(0.0, 0.5, n).tolist(),
            "mean": rng.normal(0.0, 0.5, n).tolist(),
            "variance": rng.uniform(0.2, 3.0, n).tolist(),
            "epsilon": epsilon}


INPUTS = [
    {"name": "x1", "type": "continuous", "min": -5.0, "max": 5.0},
    {"name": "x2", "type": "continuous", "min": 0.0, "max": 200.0},
    {"name": "x3", "type": "continuous", "min": -1.0, "max": 1.0},
    {"name": "flag", "type": "binary"},
    # deliberately not alphabetical: one-hot follows the listed order
    {"name": "color", "type": "categorical", "values": ["red", "green", "blue"]},
]
# encoded width: x1, x2, x3, flag, color=red, color=green, color=blue
STANDARDIZE = {"type": "standardize",
               "mean": [0.25, 100.0, 0.0, 0.5, 0.3, 0.4, 0.3],
               "std": [2.5, 50.0, 0.5, 0.5, 0.46, 0.49, 0.46]}


def all_layers_model():
    h = 8
    layers = [
        dense(7, h, "relu"),
        dense(h, h, "leaky_relu", alpha=0.2),
        batchnorm(h, 1e-3),
        dense(h, h, "sigmoid", scale=1.5),
        {"type": "dropout"},
        dense(h, h, "tanh", scale=3.0),
        dense(h, h, "elu", scale=2.5, alpha=0.7),
        dense(h, h, "gelu", scale=3.0),
        dense(h, h, "softplus", scale=2.0),
        dense(h, h, "silu", scale=1.5, bias=1.0),
        dense(h, h, "identity", scale=1.5),
        {"type": "activation", "activation": "leaky_relu"},       # default alpha 0.01
        dense(h, h, "elu", scale=2.0),                           # default alpha 1.0
        {"type": "activation", "activation": "softmax"},          # standalone softmax mid-network
        dense(h, h, "identity", scale=6.0),
        {"type": "activation", "activation": "tanh"},
        dense(h, 4, "identity", scale=1.5),
    ]
    return {"format": "distill-model", "version": 1, "name": "all-layers",
            "task": "regression", "inputs": INPUTS,
            "outputs": ["out_a", "out_b", "out_c", "out_d"],
            "preprocessing": [STANDARDIZE], "layers": layers}


def classifier_model():
    layers = [
        dense(7, 10, "relu"),
        batchnorm(10, 1e-5),
        {"type": "dropout"},
        dense(10, 6, "tanh", scale=0.8),
        dense(6, 3, "softmax", scale=3.0),
    ]
    return {"format": "distill-model", "version": 1, "name": "three-class",
            "task": "classification", "inputs": INPUTS,
            "outputs": ["cat", "dog", "bird"],
            "preprocessing": [STANDARDIZE], "layers": layers}


def binary_model():
    layers = [
        dense(7, 6, "silu", scale=2.0),
        {"type": "activation", "activation": "relu"},
        dense(6, 1, "sigmoid", scale=3.0),
    ]
    return {"format": "distill-model", "version": 1, "name": "binary-sigmoid",
            "task": "classification", "inputs": INPUTS,
            "outputs": ["negative", "positive"],
            "preprocessing": [STANDARDIZE], "layers": layers}


NUMERIC_KEYS = {"weights", "bias", "mean", "std", "gamma", "beta", "variance"}


def packed(model, dtype):
    np_dtype = {"float32": "<f4", "float64": "<f8"}[dtype]
    m = copy.deepcopy(model)
    m["name"] = model["name"] + "-packed-" + dtype

    def pack(obj):
        for key in list(obj):
            if key in NUMERIC_KEYS and isinstance(obj[key], list):
                arr = np.asarray(obj[key], dtype=np.float64)
                obj[key] = {"dtype": dtype, "shape": list(arr.shape),
                            "base64": base64.b64encode(arr.astype(np_dtype).tobytes()).decode("ascii")}
    for step in m["preprocessing"]:
        pack(step)
    for layer in m["layers"]:
        pack(layer)
    return m


def rounded32(model):
    """Plain-JSON twin of packed32: every array rounded to float32 then back to float64."""
    m = copy.deepcopy(model)
    for obj in m["preprocessing"] + m["layers"]:
        for key in list(obj):
            if key in NUMERIC_KEYS and isinstance(obj[key], list):
                obj[key] = np.asarray(obj[key], np.float64).astype(np.float32).astype(np.float64).tolist()
    return m


# ---------------------------------------------------------------------------
# Inputs and output files
# ---------------------------------------------------------------------------

def make_rows():
    rows = []
    colors = INPUTS[4]["values"]
    for i in range(N_ROWS):
        rows.append({
            "x1": repr(round(float(rng.uniform(-5.0, 5.0)), 4)),
            "x2": repr(round(float(rng.uniform(0.0, 200.0)), 3)),
            "x3": repr(round(float(rng.uniform(-1.0, 1.0)), 5)),
            "flag": str(int(rng.integers(0, 2))),
            "color": colors[i % 3],          # every category appears
        })
    # pin the extremes of the declared ranges in the first rows
    rows[0].update(x1="-5.0", x2="0.0", x3="-1.0", flag="0")
    rows[1].update(x1="5.0", x2="200.0", x3="1.0", flag="1")
    return rows


def dumps(obj, level=0):
    pad, inner = " " * level, " " * (level + 1)
    if isinstance(obj, dict):
        items = [inner + json.dumps(k) + ": " + dumps(v, level + 1) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        return "[\n" + ",\n".join(inner + dumps(v, level + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj)


def write_model(stem, model):
    text = dumps(model)
    assert json.loads(text) == model
    with open(os.path.join(HERE, stem + ".json"), "w") as handle:
        handle.write(text + "\n")
    return json.loads(text)


def write_inputs(stem, model, rows):
    names = [s["name"] for s in model["inputs"]]
    with open(os.path.join(HERE, stem + "_inputs.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([row[n] for n in names])


def write_expected(stem, header, values):
    with open(os.path.join(HERE, stem + "_expected.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in values:
            writer.writerow(["%.17g" % v for v in row])


def check_coverage(label, model, x):
    """Every activation must see negative and positive inputs."""
    trace = []
    forward(model, x, trace)
    for name, z in trace:
        if name.startswith("identity"):
            continue
        neg = float(np.mean(z < 0))
        print("  %-12s %-22s pre-activation range [%8.3f, %8.3f], %3.0f%% negative"
              % (label, name, z.min(), z.max(), 100 * neg))
        if not (0.05 <= neg <= 0.95):
            sys.exit("FAIL: %s %s inputs do not cover both signs" % (label, name))
        if name.startswith("gelu") and not (z.min() < -2.0 and z.max() > 2.0):
            sys.exit("FAIL: gelu inputs should reach beyond +-2")


def mutation_check(model, rows, reference):
    """Plausible evaluator mistakes must visibly change the expected outputs."""
    def layer_where(m, pred):
        return next(l for l in m["layers"] if pred(l))

    def set_(key, value, pred):
        def f(m):
            layer_where(m, pred)[key] = value
        return f

    def drop(key, pred):
        def f(m):
            del layer_where(m, pred)[key]
        return f

    is_act = lambda name: (lambda l: l.get("activation") == name)
    mutations = [
        ("leaky_relu alpha 0.2 ignored", drop("alpha", lambda l: l.get("alpha") == 0.2)),
        ("elu alpha 0.7 ignored", drop("alpha", lambda l: l.get("alpha") == 0.7)),
        ("leaky_relu default alpha 0 instead of 0.01",
         set_("alpha", 0.0, lambda l: l["type"] == "activation" and l["activation"] == "leaky_relu")),
        ("elu default alpha 0.7 instead of 1", set_("alpha", 0.7, lambda l: l.get("activation") == "elu" and "alpha" not in l)),
        ("gelu tanh approximation", set_("activation", "_gelu_tanh", is_act("gelu"))),
        ("softplus as relu", set_("activation", "relu", is_act("softplus"))),
        ("silu as sigmoid", set_("activation", "sigmoid", is_act("silu"))),
        ("sigmoid as tanh", set_("activation", "tanh", is_act("sigmoid"))),
        ("standalone softmax skipped", set_("activation", "identity", is_act("softmax"))),
        ("standalone tanh skipped", set_("activation", "identity", lambda l: l["type"] == "activation" and l["activation"] == "tanh")),
        ("batchnorm epsilon default 1e-5 instead of 1e-3", set_("epsilon", 1e-5, lambda l: l["type"] == "batchnorm")),
        ("relu as identity", set_("activation", "identity", is_act("relu"))),
    ]

    def sorted_onehot(m):
        m["inputs"][4]["values"] = sorted(m["inputs"][4]["values"])
    mutations.append(("categorical one-hot in sorted order", sorted_onehot))

    def no_standardize(m):
        m["preprocessing"] = []
    mutations.append(("standardize skipped", no_standardize))

    for label, mutate in mutations:
        m = copy.deepcopy(model)
        mutate(m)
        x = encode(model, rows) if "one-hot" not in label else encode(m, rows)
        diff = float(np.max(np.abs(outputs_table(m, x) - reference)))
        print("  mutation %-48s changes outputs by up to %.3g" % (label, diff))
        if diff < 1e-4:
            sys.exit("FAIL: fixture is insensitive to: " + label)


def main():
    print("numpy", np.__version__)
    all_layers = all_layers_model()
    classifier = classifier_model()
    binary = binary_model()
    rows = make_rows()

    results = {}
    for stem, model in [("all_layers", all_layers), ("classifier", classifier), ("binary", binary)]:
        parsed = write_model(stem, model)
        x = encode(parsed, rows)
        check_coverage(stem, parsed, x)
        out = outputs_table(parsed, x)
        assert np.all(np.isfinite(out))
        write_inputs(stem, parsed, rows)
        write_expected(stem, parsed["outputs"], out)
        results[stem] = out
        if parsed["task"] == "classification":
            counts = np.bincount(out.argmax(axis=1), minlength=len(parsed["outputs"]))
            print("  %s argmax counts %s" % (stem, counts.tolist()))
        else:
            print("  %s output ranges %s" % (stem, [(round(float(a), 3), round(float(b), 3)) for a, b in zip(out.min(0), out.max(0))]))

    mutation_check(all_layers, rows, results["all_layers"])

    # packed float64: identical network, identical expected values
    p64 = write_model("packed64", packed(all_layers, "float64"))
    out64 = outputs_table(p64, encode(p64, rows))
    if not np.array_equal(out64, results["all_layers"]):
        sys.exit("FAIL: packed64 does not evaluate identically to all_layers")
    write_inputs("packed64", p64, rows)
    write_expected("packed64", p64["outputs"], out64)

    # packed float32: expected values from the float32-rounded parameters in float64
    p32 = write_model("packed32", packed(all_layers, "float32"))
    out32 = outputs_table(p32, encode(p32, rows))
    twin = rounded32(all_layers)
    if not np.array_equal(out32, outputs_table(twin, encode(twin, rows))):
        sys.exit("FAIL: packed32 decoding disagrees with float32 rounding")
    diff = np.max(np.abs(out32 - results["all_layers"]))
    print("  packed32 differs from all_layers by up to %.3g (float32 rounding of parameters)" % diff)
    if diff < 1e-9:
        sys.exit("FAIL: packed32 expected values indistinguishable from float64 ones")
    write_inputs("packed32", p32, rows)
    write_expected("packed32", p32["outputs"], out32)
    print("done")


if __name__ == "__main__":
    main()
