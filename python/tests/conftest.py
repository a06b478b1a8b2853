"""Shared helpers: the distill binary (DISTILL_BINARY, else the repository's debug or release build) and
`distill predict` run on rows written as CSV. Tests of PyTorch and Keras are collected only where those
frameworks are installed (the README lists the command that runs them)."""
import csv
import importlib.util
import os
import subprocess

import numpy as np
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Keras runs on whichever backend is installed.
for backend in ("tensorflow", "jax", "torch"):
    if importlib.util.find_spec(backend) is not None:
        os.environ.setdefault("KERAS_BACKEND", backend)
        break

collect_ignore = [name for name, modules in [("test_torch.py", ["torch"]), ("test_keras.py", ["keras"]),
                                             ("test_torch_onnx.py", ["torch", "onnxscript", "onnxruntime"]),
                                             ("test_onnx.py", ["onnxruntime", "skl2onnx"])]
                  if any(importlib.util.find_spec(module) is None for module in modules)]


def distill_binary():
    if os.environ.get("DISTILL_BINARY"):
        return os.environ["DISTILL_BINARY"]
    for build in ("debug", "release"):
        path = os.path.join(ROOT, ".build", build, "distill")
        if os.path.exists(path):
            return path
    pytest.fail("no distill binary: build it (swift build) or set DISTILL_BINARY")


def write_rows(path, columns):
    """columns: {name: sequence}; numbers with 17 significant digits (exact), categories as text."""
    names = list(columns)
    count = len(next(iter(columns.values())))
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for row in range(count):
            cells = []
            for name in names:
                value = columns[name][row]
                cells.append("%.17g" % value if isinstance(value, (float, np.floating)) else str(value))
            writer.writerow(cells)


def predict(model_path, rows_path):
    """distill predict's table: (predicted labels, probabilities or outputs as an array)."""
    result = subprocess.run([distill_binary(), "predict", model_path, "--data", rows_path],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    lines = [line.split(",") for line in result.stdout.strip().splitlines()]
    header, body = lines[0], lines[1:]
    if header[0] == "prediction":
        return [row[0] for row in body], np.array([[float(v) for v in row[1:]] for row in body])
    return None, np.array([[float(v) for v in row] for row in body])


def run_distill(*arguments):
    return subprocess.run([distill_binary(), *arguments], capture_output=True, text=True)
