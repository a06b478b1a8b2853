#!/usr/bin/env python3
"""Checks specs/model.schema.json.

    python3 specs/check_schema.py                               # schema checks only
    python3 specs/check_schema.py --decoder .build/debug/distill  # also ask distill itself

1. The schema is a valid draft 2020-12 schema.
2. Every samples/*/model.json and Tests/DistillTests/Fixtures/layers/*.json validates.
3. Variants of the example model of specs/model-format.md that distill accepts validate, and
   deliberately broken variants that distill rejects are rejected by the schema.
4. A few broken variants that JSON Schema cannot catch (shape chaining, duplicate input names, ...)
   are listed as known gaps: they must pass the schema (so the list stays honest).
5. With --decoder, each file and variant is also run through `distill predict`, and distill's verdict
   must be the expected one (accept, or reject with a diagnostic naming the model file).

Files are read with a strict JSON loader (NaN, Infinity and out-of-range numbers are errors), as
distill reads them. Exits non-zero on any failure. Needs the `jsonschema` package.
"""

import argparse
import base64
import copy
import glob
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA_PATH = os.path.join(ROOT, "specs", "model.schema.json")


def strict_loads(text):
    """json.loads that rejects what distill rejects at parse level: NaN, Infinity, overflowing numbers."""
    def constant(name):
        raise ValueError("non-finite number %s" % name)

    def number(text):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError("number out of range: %s" % text)
        return value

    return json.loads(text, parse_constant=constant, parse_float=number)


def packed(values, dtype="float32", shape=None):
    code = {"float32": "<f", "float64": "<d"}[dtype]
    flat = [v for row in values for v in row] if values and isinstance(values[0], list) else list(values)
    if shape is None:
        shape = [len(values), len(values[0])] if values and isinstance(values[0], list) else [len(values)]
    raw = b"".join(struct.pack(code, v) for v in flat)
    return {"dtype": dtype, "shape": shape, "base64": base64.b64encode(raw).decode("ascii")}


# The example of specs/model-format.md ("A complete example").
EXAMPLE = {
    "format": "distill-model",
    "version": 1,
    "name": "churn-demo",
    "task": "classification",
    "inputs": [
        {"name": "age", "type": "continuous", "min": 18, "max": 90, "unit": "years"},
        {"name": "smoker", "type": "binary"},
        {"name": "region", "type": "categorical", "values": ["north", "south", "west"]},
    ],
    "outputs": ["stays", "leaves"],
    "preprocessing": [
        {"type": "standardize", "mean": [45, 0.3, 0, 0, 0], "std": [15, 0.46, 1, 1, 1]},
    ],
    "layers": [
        {"type": "dense", "activation": "relu",
         "weights": [[0.8, 1.2, 0.5, -0.4, 0.1],
                     [-0.6, 0.3, -0.2, 0.7, 0.0],
                     [0.1, -0.9, 0.4, 0.4, -1.1]],
         "bias": [0.1, -0.2, 0.05]},
        {"type": "dropout", "rate": 0.2},
        {"type": "dense", "activation": "sigmoid",
         "weights": [[1.5, -2.0, 0.7]],
         "bias": {"dtype": "float32", "shape": [1], "base64": "AACAvg=="}},
    ],
    "metadata": {"exported_by": "hand", "date": "2026-11-23"},
}
EXAMPLE_CSV = "age,smoker,region\n30,0,north\n60,1,west\n45,1,south\n"

BATCHNORM = {"type": "batchnorm", "gamma": [1.0, 0.5, 2.0], "beta": [0.0, 0.1, -0.1],
             "mean": [0.2, 0.1, 0.0], "variance": [1.0, 0.25, 4.0]}


def variant(*edits):
    model = copy.deepcopy(EXAMPLE)
    for edit in edits:
        edit(model)
    return model


def put(path, value):
    """An edit setting model[path...] = value (path of keys/indices; value None deletes)."""
    def edit(model):
        target = model
        for key in path[:-1]:
            target = target[key]
        if value is DELETE:
            del target[path[-1]]
        else:
            target[path[-1]] = copy.deepcopy(value)
    return edit


def insert_layer(index, layer):
    return lambda model: model["layers"].insert(index, copy.deepcopy(layer))


DELETE = object()

# Variants distill accepts: each must validate.
ACCEPTED = {
    "the example itself": variant(),
    "no metadata, with description": variant(put(["metadata"], DELETE), put(["description"], "free text")),
    "name null": variant(put(["name"], None)),
    "name absent": variant(put(["name"], DELETE)),
    "version 1.0": variant(put(["version"], 1.0)),
    "preprocessing null": variant(put(["preprocessing"], None)),
    "preprocessing absent": variant(put(["preprocessing"], DELETE)),
    "two standardize steps": variant(lambda m: m["preprocessing"].append(copy.deepcopy(m["preprocessing"][0]))),
    "dense without activation": variant(put(["layers", 0, "activation"], DELETE)),
    "activation null": variant(put(["layers", 0, "activation"], None)),
    "alias linear": variant(put(["layers", 0, "activation"], "linear")),
    "alias logistic": variant(put(["layers", 2, "activation"], "logistic")),
    "alias swish": variant(put(["layers", 0, "activation"], "swish")),
    "alpha on relu (ignored)": variant(put(["layers", 0, "alpha"], 0.3)),
    "leaky_relu with alpha": variant(put(["layers", 0, "activation"], "leaky_relu"), put(["layers", 0, "alpha"], 0.2)),
    "elu, alpha null": variant(put(["layers", 0, "activation"], "elu"), put(["layers", 0, "alpha"], None)),
    "every activation as a layer": variant(*[insert_layer(1, {"type": "activation", "activation": name})
                                             for name in ["identity", "relu", "leaky_relu", "tanh", "elu", "gelu",
                                                          "softplus", "silu", "selu", "hard_sigmoid", "sigmoid",
                                                          "softmax"]]),
    "layer names": variant(put(["layers", 0, "name"], "fc1"), put(["layers", 1, "name"], {"any": "value"})),
    "dropout with p and rate": variant(put(["layers", 1], {"type": "dropout", "p": 0.5, "rate": 0.5})),
    "batchnorm": variant(insert_layer(1, BATCHNORM)),
    "batchnorm epsilon 1e-3": variant(insert_layer(1, dict(BATCHNORM, epsilon=1e-3))),
    "batchnorm epsilon null": variant(insert_layer(1, dict(BATCHNORM, epsilon=None))),
    "batchnorm epsilon 0, positive variance": variant(insert_layer(1, dict(BATCHNORM, epsilon=0))),
    "batchnorm zero variance, default epsilon": variant(insert_layer(1, dict(BATCHNORM, variance=[0.0, 1.0, 1.0]))),
    "packed float64 everywhere": variant(
        lambda m: m["layers"][0].update(weights=packed(m["layers"][0]["weights"], "float64"),
                                        bias=packed(m["layers"][0]["bias"], "float64")),
        lambda m: m["preprocessing"][0].update(mean=packed(m["preprocessing"][0]["mean"], "float64"),
                                               std=packed(m["preprocessing"][0]["std"], "float64"))),
    "packed float32 batchnorm": variant(insert_layer(1, {
        "type": "batchnorm", "gamma": packed([1, 1, 1]), "beta": packed([0, 0, 0]),
        "mean": packed([0, 0, 0]), "variance": packed([1, 1, 1]), "epsilon": 1e-5})),
    "base64 with a line break": variant(put(["layers", 2, "bias", "base64"], "AACA\nvg==")),
    "packed shape 1.0": variant(put(["layers", 2, "bias", "shape"], [1.0])),
    "continuous without min/max": variant(put(["inputs", 0, "min"], DELETE), put(["inputs", 0, "max"], None)),
    "input description": variant(put(["inputs", 1, "description"], "1 if the customer smokes")),
    "unit null": variant(put(["inputs", 0, "unit"], None)),
    "regression with one output": variant(put(["task"], "regression"), put(["outputs"], ["risk"])),
    "image of two pixels": variant(put(["image"], {"height": 1, "width": 2, "inputs": ["age", "smoker"]})),
    "image null": variant(put(["image"], None)),
    "image of one pixel, two channels": variant(put(["image"], {"height": 1, "width": 1, "channels": 2, "layout": "chw",
                                                               "inputs": ["age", "smoker"]})),
}

# Variants distill rejects that the schema catches: each must fail validation.
REJECTED = {
    "dropout rate not a number": variant(put(["layers", 1], {"type": "dropout", "rate": "x"})),
    "binary with min": variant(put(["inputs", 1, "min"], 0)),
    "binary with values": variant(put(["inputs", 1, "values"], ["a"])),
    "categorical with max": variant(put(["inputs", 2, "max"], 1)),
    "root is an array": [EXAMPLE],
    "unknown top-level member": variant(put(["extra"], 1)),
    "missing format": variant(put(["format"], DELETE)),
    "wrong format": variant(put(["format"], "onnx")),
    "missing version": variant(put(["version"], DELETE)),
    "version 2": variant(put(["version"], 2)),
    "version as string": variant(put(["version"], "1")),
    "name is a number": variant(put(["name"], 5)),
    "missing task": variant(put(["task"], DELETE)),
    "unknown task": variant(put(["task"], "ranking")),
    "missing inputs": variant(put(["inputs"], DELETE)),
    "no inputs": variant(put(["inputs"], [])),
    "input is a number": variant(lambda m: m["inputs"].insert(0, 5)),
    "input without name": variant(put(["inputs", 0, "name"], DELETE)),
    "input with empty name": variant(put(["inputs", 0, "name"], "")),
    "input unknown member": variant(put(["inputs", 0, "scale"], 2)),
    "input unknown type": variant(put(["inputs", 1, "type"], "ordinal")),
    "continuous min is a string": variant(put(["inputs", 0, "min"], "18")),
    "unit is a number": variant(put(["inputs", 0, "unit"], 5)),
    "categorical without values": variant(put(["inputs", 2, "values"], DELETE)),
    "categorical with no values": variant(put(["inputs", 2, "values"], [])),
    "duplicate category": variant(put(["inputs", 2, "values"], ["north", "north", "west"])),
    "empty category name": variant(put(["inputs", 2, "values"], ["north", "", "west"])),
    "category is a number": variant(put(["inputs", 2, "values"], ["north", 2, "west"])),
    "missing outputs": variant(put(["outputs"], DELETE)),
    "classifier with one class name": variant(put(["outputs"], ["leaves"])),
    "duplicate output name": variant(put(["outputs"], ["stays", "stays"])),
    "empty output name": variant(put(["outputs"], ["stays", ""])),
    "regression with no outputs": variant(put(["task"], "regression"), put(["outputs"], [])),
    "preprocessing is an object": variant(put(["preprocessing"], EXAMPLE["preprocessing"][0])),
    "unknown preprocessing type": variant(put(["preprocessing", 0, "type"], "minmax")),
    "standardize unknown member": variant(put(["preprocessing", 0, "scale"], 1)),
    "standardize without std": variant(put(["preprocessing", 0, "std"], DELETE)),
    "zero standard deviation": variant(put(["preprocessing", 0, "std", 2], 0)),
    "negative standard deviation": variant(put(["preprocessing", 0, "std", 2], -1)),
    "missing layers": variant(put(["layers"], DELETE)),
    "no layers": variant(put(["layers"], [])),
    "layer is a number": variant(lambda m: m["layers"].insert(0, 5)),
    "layer without type": variant(put(["layers", 0, "type"], DELETE)),
    "unknown layer type": variant(put(["layers", 0, "type"], "conv2d")),
    "layer type is a number": variant(put(["layers", 0, "type"], 5)),
    "dense unknown member": variant(put(["layers", 0, "units"], 3)),
    "dense without weights": variant(put(["layers", 0, "weights"], DELETE)),
    "dense without bias": variant(put(["layers", 0, "bias"], DELETE)),
    "unknown activation": variant(put(["layers", 0, "activation"], "swishy")),
    "activation name in capitals": variant(put(["layers", 0, "activation"], "ReLU")),
    "alpha is a string": variant(put(["layers", 0, "alpha"], "0.1")),
    "weights as a flat vector": variant(put(["layers", 2, "weights"], [1.5, -2.0, 0.7])),
    "weights empty": variant(put(["layers", 2, "weights"], [])),
    "weights with an empty row": variant(put(["layers", 2, "weights"], [[]])),
    "weight is a string": variant(put(["layers", 0, "weights", 1, 2], "0.5")),
    "bias is a boolean": variant(put(["layers", 0, "bias", 1], True)),
    "bias null": variant(put(["layers", 0, "bias"], None)),
    "activation layer without activation": variant(insert_layer(1, {"type": "activation"})),
    "activation layer with null activation": variant(insert_layer(1, {"type": "activation", "activation": None})),
    "activation layer unknown member": variant(insert_layer(1, {"type": "activation", "activation": "relu", "inplace": True})),
    "dropout unknown member": variant(put(["layers", 1, "training"], False)),
    "batchnorm without variance": variant(insert_layer(1, {k: v for k, v in BATCHNORM.items() if k != "variance"})),
    "batchnorm unknown member": variant(insert_layer(1, dict(BATCHNORM, momentum=0.1))),
    "batchnorm negative variance": variant(insert_layer(1, dict(BATCHNORM, variance=[1.0, -0.5, 1.0]))),
    "batchnorm negative epsilon": variant(insert_layer(1, dict(BATCHNORM, epsilon=-1e-5))),
    "batchnorm epsilon 0 with a zero variance": variant(insert_layer(1, dict(BATCHNORM, epsilon=0, variance=[1.0, 0.0, 1.0]))),
    "packed unknown dtype": variant(put(["layers", 2, "bias", "dtype"], "float16")),
    "packed unknown member": variant(put(["layers", 2, "bias", "order"], "C")),
    "packed without base64": variant(put(["layers", 2, "bias", "base64"], DELETE)),
    "packed shape [0]": variant(put(["layers", 2, "bias", "shape"], [0])),
    "packed shape of rank 3": variant(put(["layers", 2, "bias", "shape"], [1, 1, 1])),
    "packed shape 1.5": variant(put(["layers", 2, "bias", "shape"], [1.5])),
    "packed matrix as a bias": variant(put(["layers", 2, "bias", "shape"], [1, 1])),
    "packed vector as weights": variant(lambda m: m["layers"][2].update(weights=packed([1.5, -2.0, 0.7], "float64"))),
    "image without height": variant(put(["image"], {"width": 2, "inputs": ["age", "smoker"]})),
    "image unknown member": variant(put(["image"], {"height": 1, "width": 2, "depth": 1, "inputs": ["age", "smoker"]})),
    "image height 0": variant(put(["image"], {"height": 0, "width": 2, "inputs": ["age", "smoker"]})),
    "image unknown layout": variant(put(["image"], {"height": 1, "width": 2, "layout": "nhwc", "inputs": ["age", "smoker"]})),
    "image with three input names": variant(put(["image"], {"height": 1, "width": 2, "inputs": ["age", "smoker", "region"]})),
}

# Rejected by distill, but beyond JSON Schema: each must PASS the schema (documented gaps).
GAPS = {
    "weights row too short (shape chaining)": variant(lambda m: m["layers"][0]["weights"][1].pop()),
    "bias too long": variant(lambda m: m["layers"][0]["bias"].append(0.0)),
    "standardize vector of the raw, not encoded, width": variant(put(["preprocessing", 0, "mean"], [45, 0.3, 0])),
    "last layer width does not match outputs": variant(put(["outputs"], ["a", "b", "c"])),
    "duplicate input name": variant(put(["inputs", 1, "name"], "age")),
    "min greater than max": variant(put(["inputs", 0, "min"], 100)),
    "packed byte count does not match shape": variant(put(["layers", 2, "bias", "base64"], "AAAAAAAAAAA=")),
    "packed base64 without padding": variant(put(["layers", 2, "bias", "base64"], "AACAvg")),
    "packed value is NaN": variant(put(["layers", 2, "bias", "base64"], base64.b64encode(struct.pack("<f", math.nan)).decode())),
    "packed variance negative": variant(insert_layer(1, dict(BATCHNORM, variance=packed([1.0, -1.0, 1.0])))),
    "image size does not match its inputs": variant(put(["image"], {"height": 1, "width": 1, "inputs": ["age", "smoker"]})),
    "image of an unknown input": variant(put(["image"], {"height": 1, "width": 2, "inputs": ["age", "weight"]})),
    "image over a categorical input": variant(put(["image"], {"height": 1, "width": 3, "inputs": ["age", "region"]})),
    "image last input before first": variant(put(["image"], {"height": 1, "width": 2, "inputs": ["smoker", "age"]})),
}

# Texts the strict loader must refuse (distill refuses them while parsing).
UNPARSABLE = {
    "NaN": '{"a": NaN}',
    "Infinity": '{"a": -Infinity}',
    "overflow": '{"a": 1e999}',
}


class Checker:
    def __init__(self, decoder):
        with open(SCHEMA_PATH) as handle:
            self.schema = json.load(handle)
        jsonschema.Draft202012Validator.check_schema(self.schema)
        self.validator = jsonschema.Draft202012Validator(self.schema)
        self.decoder = decoder
        self.failures = []
        self.checks = 0
        self.workdir = tempfile.mkdtemp(prefix="distill-schema-")

    def fail(self, message):
        self.failures.append(message)
        print("FAIL " + message)

    def errors(self, instance):
        return sorted(self.validator.iter_errors(instance), key=lambda e: list(e.absolute_path))

    def decoder_verdict(self, model_path, csv_path):
        """True if distill accepts the model, False if it rejects it with a diagnostic naming it."""
        run = subprocess.run([self.decoder, "predict", model_path, "--data", csv_path],
                             capture_output=True, text=True)
        if run.returncode == 0:
            return True, ""
        message = run.stderr.strip().splitlines()[0] if run.stderr.strip() else "(no message)"
        if message.startswith("distill: error: %s:" % model_path):
            return False, message
        return None, message  # rejected for another reason (e.g. the CSV)

    def check_file(self, path, csv_path):
        self.checks += 1
        with open(path) as handle:
            instance = strict_loads(handle.read())
        errors = self.errors(instance)
        if errors:
            e = errors[0]
            self.fail("%s: %s: %s" % (os.path.relpath(path, ROOT), "/".join(map(str, e.absolute_path)), e.message))
        if self.decoder and csv_path:
            accepted, message = self.decoder_verdict(path, csv_path)
            if not accepted:
                self.fail("%s: distill rejects it: %s" % (os.path.relpath(path, ROOT), message))

    def check_variant(self, label, instance, expect_schema, expect_decoder):
        self.checks += 1
        valid = not self.errors(instance)
        if valid != expect_schema:
            self.fail("variant '%s': schema %s it" % (label, "accepts" if valid else "rejects"))
        if self.decoder:
            path = os.path.join(self.workdir, "variant-%d.json" % self.checks)
            csv_path = os.path.join(self.workdir, "example.csv")
            with open(path, "w") as handle:
                json.dump(instance, handle)
            with open(csv_path, "w") as handle:
                handle.write(EXAMPLE_CSV)
            accepted, message = self.decoder_verdict(path, csv_path)
            if accepted is None or accepted != expect_decoder:
                self.fail("variant '%s': distill %s it (%s)" % (
                    label, "accepts" if accepted else "does not reject the model" if accepted is None else "rejects",
                    message))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decoder", help="path of a built distill executable to cross-check verdicts")
    args = parser.parse_args()
    if args.decoder and not os.access(args.decoder, os.X_OK):
        sys.exit("check_schema: %s is not an executable" % args.decoder)
    checker = Checker(args.decoder)

    samples = sorted(glob.glob(os.path.join(ROOT, "samples", "*", "model.json")))
    fixtures = sorted(glob.glob(os.path.join(ROOT, "Tests", "DistillTests", "Fixtures", "layers", "*.json")))
    if not samples or not fixtures:
        checker.fail("no sample models or layer fixtures found under %s" % ROOT)
    for path in samples:
        checker.check_file(path, os.path.join(os.path.dirname(path), "test.csv"))
    for path in fixtures:
        checker.check_file(path, path[:-len(".json")] + "_inputs.csv")

    for label, instance in ACCEPTED.items():
        checker.check_variant(label, instance, expect_schema=True, expect_decoder=True)
    for label, instance in REJECTED.items():
        checker.check_variant(label, instance, expect_schema=False, expect_decoder=False)
    for label, instance in GAPS.items():
        checker.check_variant("gap: " + label, instance, expect_schema=True, expect_decoder=False)

    for label, text in UNPARSABLE.items():
        checker.checks += 1
        try:
            strict_loads(text)
            checker.fail("strict loader accepts %s" % label)
        except ValueError:
            pass

    shutil.rmtree(checker.workdir, ignore_errors=True)
    summary = "%d checks: %d sample models, %d fixtures, %d accepted / %d rejected variants, %d known gaps%s" % (
        checker.checks, len(samples), len(fixtures), len(ACCEPTED), len(REJECTED), len(GAPS),
        ", verdicts cross-checked with " + args.decoder if args.decoder else "")
    if checker.failures:
        print("%d FAILED of %s" % (len(checker.failures), summary))
        sys.exit(1)
    print("ok: " + summary)


if __name__ == "__main__":
    main()
