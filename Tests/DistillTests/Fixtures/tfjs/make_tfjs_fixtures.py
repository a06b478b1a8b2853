"""Writes TensorFlow.js Layers models as the TF.js converter lays them out (model.json with modelTopology and
weightsManifest, weights back to back in .bin shards), with numpy's float64 outputs from the stored weights:

  dense/       Keras 2 topology (config.layers, batch_input_shape): InputLayer, Dense relu, BatchNormalization,
               Dropout, Dense tanh, LeakyReLU, Dense 3 softmax; float32 weights in one shard
  quantized/   TF.js-converter topology nested in model_config, no InputLayer: Dense elu (uint8-quantised kernel,
               float16 bias), Activation sigmoid... a binary classifier ending in one sigmoid unit; weights in
               two shards (uint16-quantised last kernel)
Each folder has inputs.csv (x0..) and expected.csv. Run: python3 Tests/DistillTests/Fixtures/tfjs/make_tfjs_fixtures.py
(needs numpy only).
"""
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(5)


def quantize(values, dtype):
    levels = 255 if dtype == "uint8" else 65535
    low, high = float(values.min()), float(values.max())
    scale = (high - low) / levels
    q = np.round((values - low) / scale).astype(np.uint8 if dtype == "uint8" else "<u2")
    return q, {"dtype": dtype, "min": low, "scale": scale}, low + scale * q.astype(np.float64)


def write(folder, topology, weights, shards, x, expected):
    """weights: [(name, array as stored, dtype, quantization or None)]; shards: byte sizes to cut at."""
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
    data = b"".join(np.ascontiguousarray(a).tobytes() for _, a, _, _ in weights)
    paths, start = [], 0
    for index, size in enumerate(shards + [len(data)]):
        end = min(start + size, len(data)) if index < len(shards) else len(data)
        paths.append(f"group1-shard{index + 1}of{len(shards) + 1}.bin")
        open(os.path.join(HERE, folder, paths[-1]), "wb").write(data[start:end])
        start = end
    manifest = [{"paths": paths, "weights": [dict({"name": n, "shape": list(a.shape), "dtype": d}, **({"quantization": q} if q else {}))
                                             for n, a, d, q in weights]}]
    model = {"format": "layers-model", "generatedBy": "make_tfjs_fixtures.py", "convertedBy": None,
             "modelTopology": topology, "weightsManifest": manifest}
    json.dump(model, open(os.path.join(HERE, folder, "model.json"), "w"), indent=1)
    np.savetxt(os.path.join(HERE, folder, "inputs.csv"), x, delimiter=",", fmt="%.17g",
               header=",".join(f"x{i}" for i in range(x.shape[1])), comments="")
    np.savetxt(os.path.join(HERE, folder, "expected.csv"), expected, delimiter=",", fmt="%.17g",
               header=",".join(f"y{i}" for i in range(expected.shape[1])), comments="")


def f32(*shape):
    return rng.normal(size=shape).astype("<f4")


# dense: Keras 2 layout.
k1, b1 = f32(4, 8), f32(8)
gamma, beta, mean, var = (rng.uniform(0.5, 1.5, 8).astype("<f4"), f32(8), f32(8), rng.uniform(0.5, 2, 8).astype("<f4"))
k2, b2, k3, b3 = f32(8, 6), f32(6), f32(6, 3), f32(3)
x = rng.uniform(-2, 2, (15, 4))
h = np.maximum(x @ k1.astype(float) + b1, 0)
h = gamma.astype(float) * (h - mean) / np.sqrt(var.astype(float) + 1e-3) + beta
h = np.tanh(h @ k2.astype(float) + b2)
h = np.where(h > 0, h, 0.3 * h) @ k3.astype(float) + b3
e = np.exp(h - h.max(axis=1, keepdims=True))
layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, 4], "dtype": "float32", "name": "input_1"}},
          {"class_name": "Dense", "config": {"name": "dense", "units": 8, "activation": "relu", "use_bias": True}},
          {"class_name": "BatchNormalization", "config": {"name": "batch_normalization", "axis": -1, "epsilon": 0.001,
                                                          "center": True, "scale": True}},
          {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.25}},
          {"class_name": "Dense", "config": {"name": "dense_1", "units": 6, "activation": "tanh", "use_bias": True}},
          {"class_name": "LeakyReLU", "config": {"name": "leaky_re_lu", "alpha": 0.3}},
          {"class_name": "Dense", "config": {"name": "dense_2", "units": 3, "activation": "softmax", "use_bias": True}}]
write("dense", {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}, "keras_version": "2.15.0",
                "backend": "tensorflow"},
      [("dense/kernel", k1, "float32", None), ("dense/bias", b1, "float32", None),
       ("batch_normalization/gamma", gamma, "float32", None), ("batch_normalization/beta", beta, "float32", None),
       ("batch_normalization/moving_mean", mean, "float32", None), ("batch_normalization/moving_variance", var, "float32", None),
       ("dense_1/kernel", k2, "float32", None), ("dense_1/bias", b2, "float32", None),
       ("dense_2/kernel", k3, "float32", None), ("dense_2/bias", b3, "float32", None)], [], x, e / e.sum(axis=1, keepdims=True))

# quantized: nested model_config, binary.
q1, quant1, k1 = quantize(rng.normal(size=(5, 7)), "uint8")
b1_half = rng.normal(size=7).astype("<f2")
q2, quant2, k2 = quantize(rng.normal(size=(7, 1)), "uint16")
b2 = f32(1)
x = rng.uniform(-2, 2, (15, 5))
h = x @ k1 + b1_half.astype(float)
h = np.where(h > 0, h, np.expm1(h))
p = 1 / (1 + np.exp(-(h @ k2 + b2.astype(float))))
layers = [{"class_name": "Dense", "config": {"name": "hidden", "units": 7, "activation": "elu", "use_bias": True,
                                             "batch_input_shape": [None, 5]}},
          {"class_name": "Dense", "config": {"name": "out", "units": 1, "activation": "linear", "use_bias": True}},
          {"class_name": "Activation", "config": {"name": "probability", "activation": "sigmoid"}}]
write("quantized", {"model_config": {"class_name": "Sequential", "config": {"name": "binary", "layers": layers}}},
      [("sequential/hidden/kernel", q1, "float32", quant1), ("hidden/bias", b1_half, "float32", {"dtype": "float16"}),
       ("out/kernel", q2, "float32", quant2), ("out/bias", b2, "float32", None)], [20], x, p)
