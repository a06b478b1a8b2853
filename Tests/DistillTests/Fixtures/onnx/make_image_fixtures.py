"""Writes the ONNX test models whose input is an image (rank 4), with their expected outputs.

  image_chw.onnx      input [batch, 2, 3, 4] (channels, height, width), Flatten, Gemm + Relu, Gemm + Softmax
  image_noflatten.onnx  input [batch, 1, 2, 2] read by a Gemm directly (a diagnostic)
The inputs and expected outputs are image_chw_inputs.csv (x0.., the flattened rows) and image_chw_expected.csv
(numpy, float64 from the stored float32 weights).
Run: .build/bench-venv/bin/python Tests/DistillTests/Fixtures/onnx/make_image_fixtures.py (needs onnx, numpy).
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(23)
features, hidden, classes = 24, 5, 3
w1 = rng.normal(0, 0.5, (hidden, features)).astype(np.float32)
b1 = rng.normal(0, 0.1, hidden).astype(np.float32)
w2 = rng.normal(0, 0.5, (classes, hidden)).astype(np.float32)
b2 = rng.normal(0, 0.1, classes).astype(np.float32)


def model(name, nodes, inits, shape):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch"] + shape)],
                              [helper.make_tensor_value_info(nodes[-1].output[0], TensorProto.FLOAT, ["batch", classes])],
                              [numpy_helper.from_array(a, n) for n, a in inits])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), os.path.join(HERE, f"{name}.onnx"))


model("image_chw", [
    helper.make_node("Flatten", ["input"], ["flat"], axis=1),
    helper.make_node("Gemm", ["flat", "w1", "b1"], ["h"], transB=1),
    helper.make_node("Relu", ["h"], ["a"]),
    helper.make_node("Gemm", ["a", "w2", "b2"], ["z"], transB=1),
    helper.make_node("Softmax", ["z"], ["y"], axis=1),
], [("w1", w1), ("b1", b1), ("w2", w2), ("b2", b2)], [2, 3, 4])

model("image_noflatten", [
    helper.make_node("Gemm", ["input", "w1", "b1"], ["h"], transB=1),
    helper.make_node("Softmax", ["h"], ["y"], axis=1),
], [("w1", w1[:, :4]), ("b1", b1)], [1, 2, 2])

x = rng.uniform(0, 1, (8, 2, 3, 4))
flat = x.reshape(8, features)
h = np.maximum(flat @ w1.astype(np.float64).T + b1.astype(np.float64), 0)
z = h @ w2.astype(np.float64).T + b2.astype(np.float64)
y = np.exp(z - z.max(axis=1, keepdims=True))
y /= y.sum(axis=1, keepdims=True)
np.savetxt(os.path.join(HERE, "image_chw_inputs.csv"), flat, delimiter=",", fmt="%.17g",
           header=",".join(f"x{i}" for i in range(features)), comments="")
np.savetxt(os.path.join(HERE, "image_chw_expected.csv"), y, delimiter=",", fmt="%.17g",
           header=",".join(f"y{i}" for i in range(classes)), comments="")
