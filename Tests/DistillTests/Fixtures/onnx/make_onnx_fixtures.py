"""Writes the ONNX test models and their expected outputs (numpy, float64 from the stored weights).

  gemm_softmax.onnx   Sub/Div scaler, Gemm (transB=1) + Relu, Gemm (transB=0, alpha, beta) + Softmax; float32 raw_data
  matmul_tanh.onnx    MatMul + Add + Tanh, Dropout, Identity, MatMul + Add + Mul + Sigmoid (one unit); float64 typed fields
  batchnorm.onnx      Gemm + BatchNormalization + LeakyRelu, Flatten, Gemm + Elu, Gemm (regression, 2 outputs)
  conv.onnx           a Conv node (unsupported: a diagnostic)
Each model's inputs and expected outputs are NAME_inputs.csv (x0..) and NAME_expected.csv.
Run: .build/bench-venv/bin/python Tests/DistillTests/Fixtures/onnx/make_onnx_fixtures.py (needs onnx, numpy).
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(11)


def tensor(name, array, raw=True):
    array = np.asarray(array)
    kind = TensorProto.FLOAT if array.dtype == np.float32 else TensorProto.DOUBLE
    if raw:
        return numpy_helper.from_array(array, name)
    return helper.make_tensor(name, kind, array.shape, array.flatten().tolist())


def save(name, nodes, inits, features, outputs, elem=TensorProto.FLOAT, reference=None):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", elem, ["batch", features])],
                              [helper.make_tensor_value_info(nodes[-1].output[0], elem, ["batch", outputs])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, os.path.join(HERE, f"{name}.onnx"))
    if reference is None:
        return
    x = rng.uniform(-2, 2, (12, features))
    y = reference(x)
    np.savetxt(os.path.join(HERE, f"{name}_inputs.csv"), x, delimiter=",", fmt="%.17g",
               header=",".join(f"x{i}" for i in range(features)), comments="")
    np.savetxt(os.path.join(HERE, f"{name}_expected.csv"), y, delimiter=",", fmt="%.17g",
               header=",".join(f"y{i}" for i in range(y.shape[1])), comments="")


def f64(a):
    return np.asarray(a, dtype=np.float64)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# gemm_softmax: float32 weights in raw_data.
mean, std = rng.normal(size=4).astype(np.float32), rng.uniform(0.5, 2, 4).astype(np.float32)
w1, b1 = rng.normal(size=(6, 4)).astype(np.float32), rng.normal(size=6).astype(np.float32)
w2, b2 = rng.normal(size=(6, 3)).astype(np.float32), rng.normal(size=3).astype(np.float32)
save("gemm_softmax", [
    helper.make_node("Sub", ["input", "mean"], ["centred"]),
    helper.make_node("Div", ["centred", "std"], ["scaled"]),
    helper.make_node("Gemm", ["scaled", "w1", "b1"], ["h1"], transB=1),
    helper.make_node("Relu", ["h1"], ["a1"]),
    helper.make_node("Gemm", ["a1", "w2", "b2"], ["h2"], alpha=0.5, beta=2.0),
    helper.make_node("Softmax", ["h2"], ["probabilities"], axis=-1),
], [tensor("mean", mean), tensor("std", std), tensor("w1", w1), tensor("b1", b1), tensor("w2", w2), tensor("b2", b2)], 4, 3,
    reference=lambda x: softmax(0.5 * (np.maximum((x - f64(mean)) / f64(std) @ f64(w1).T + f64(b1), 0) @ f64(w2)) + 2.0 * f64(b2)))

# matmul_tanh: float64 in typed fields, one sigmoid unit.
m1, c1 = rng.normal(size=(3, 5)), rng.normal(size=5)
m2, c2, k = rng.normal(size=(5, 1)), rng.normal(size=1), 1.5
save("matmul_tanh", [
    helper.make_node("MatMul", ["input", "m1"], ["p1"]),
    helper.make_node("Add", ["p1", "c1"], ["q1"]),
    helper.make_node("Tanh", ["q1"], ["t1"]),
    helper.make_node("Dropout", ["t1"], ["d1"]),
    helper.make_node("Identity", ["d1"], ["i1"]),
    helper.make_node("MatMul", ["i1", "m2"], ["p2"]),
    helper.make_node("Add", ["c2", "p2"], ["q2"]),
    helper.make_node("Mul", ["q2", "k"], ["r2"]),
    helper.make_node("Sigmoid", ["r2"], ["probability"]),
], [tensor("m1", m1, raw=False), tensor("c1", c1, raw=False), tensor("m2", m2, raw=False), tensor("c2", c2, raw=False),
    tensor("k", np.array([k]), raw=False)], 3, 1, elem=TensorProto.DOUBLE,
    reference=lambda x: 1 / (1 + np.exp(-((np.tanh(x @ m1 + c1) @ m2 + c2) * k))))

# batchnorm: regression with two outputs.
g1, e1 = rng.normal(size=(4, 5)).astype(np.float32), rng.normal(size=4).astype(np.float32)
gamma, beta = rng.uniform(0.5, 1.5, 4).astype(np.float32), rng.normal(size=4).astype(np.float32)
mu, var = rng.normal(size=4).astype(np.float32), rng.uniform(0.5, 2, 4).astype(np.float32)
g2, e2 = rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=3).astype(np.float32)
g3, e3 = rng.normal(size=(2, 3)).astype(np.float32), rng.normal(size=2).astype(np.float32)


def batchnorm_reference(x):
    h = x @ f64(g1).T + f64(e1)
    h = f64(gamma) * (h - f64(mu)) / np.sqrt(f64(var) + float(np.float32(1e-3))) + f64(beta)
    h = np.where(h > 0, h, float(np.float32(0.1)) * h)
    h = h @ f64(g2).T + f64(e2)
    h = np.where(h > 0, h, float(np.float32(0.8)) * (np.exp(h) - 1))
    return h @ f64(g3).T + f64(e3)


save("batchnorm", [
    helper.make_node("Gemm", ["input", "g1", "e1"], ["h1"], transB=1),
    helper.make_node("BatchNormalization", ["h1", "gamma", "beta", "mu", "var"], ["n1"], epsilon=1e-3),
    helper.make_node("LeakyRelu", ["n1"], ["a1"], alpha=0.1),
    helper.make_node("Flatten", ["a1"], ["f1"]),
    helper.make_node("Gemm", ["f1", "g2", "e2"], ["h2"], transB=1),
    helper.make_node("Elu", ["h2"], ["a2"], alpha=0.8),
    helper.make_node("Gemm", ["a2", "g3", "e3"], ["y"], transB=1),
], [tensor(n, a) for n, a in [("g1", g1), ("e1", e1), ("gamma", gamma), ("beta", beta), ("mu", mu), ("var", var),
                              ("g2", g2), ("e2", e2), ("g3", g3), ("e3", e3)]], 5, 2, reference=batchnorm_reference)

# conv: unsupported.
save("conv", [
    helper.make_node("Gemm", ["input", "g1", "e1"], ["h1"], transB=1),
    helper.make_node("Conv", ["h1", "g2"], ["y"]),
], [tensor("g1", g1), tensor("e1", e1), tensor("g2", g2)], 5, 3)
