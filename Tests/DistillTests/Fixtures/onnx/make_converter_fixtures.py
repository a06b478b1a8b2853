"""Writes ONNX files as the converters themselves write them, with onnxruntime's outputs on the same rows:

  skl_multiclass.onnx  skl2onnx: StandardScaler (ai.onnx.ml Scaler) + MLPClassifier, string labels, ZipMap
  skl_binary.onnx      skl2onnx: MinMaxScaler + MLPClassifier (tanh), integer labels, binary [1 - p, p] Concat
  torch_dynamo.onnx    torch.onnx.export (default exporter): weights in torch_dynamo.onnx.data, a Gelu node
  torch_legacy.onnx    torch.onnx.export(dynamo=False, opset 13): Identity-aliased weights, BatchNormalization,
                       GELU as Div / Erf / Add / Mul / Mul
Each NAME has NAME_inputs.csv (x0..) and NAME_expected.csv (onnxruntime's probabilities, one column per class,
headed by the class labels). Run with numpy, scikit-learn, skl2onnx, torch, onnxscript and onnxruntime:
  .build/py-venv/bin/python Tests/DistillTests/Fixtures/onnx/make_converter_fixtures.py
"""
import os

import numpy as np
import onnxruntime
import torch
import torch.nn as nn
from skl2onnx import to_onnx
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def write(name, x, labels, probabilities):
    np.savetxt(os.path.join(HERE, f"{name}_inputs.csv"), x.astype(np.float64), delimiter=",", fmt="%.9g",
               header=",".join(f"x{i}" for i in range(x.shape[1])), comments="")
    np.savetxt(os.path.join(HERE, f"{name}_expected.csv"), probabilities, delimiter=",", fmt="%.17g",
               header=",".join(labels), comments="")


def runtime(path, x):
    session = onnxruntime.InferenceSession(path)
    values = session.run(None, {session.get_inputs()[0].name: x})[-1]
    if isinstance(values, list):
        keys = list(values[0])
        return [str(k) for k in keys], np.array([[row[k] for k in keys] for row in values])
    return [str(i) for i in range(values.shape[1])], np.asarray(values, dtype=np.float64)


x = rng.normal(size=(40, 4)).astype(np.float32)
train = rng.normal(size=(300, 4)).astype(np.float32)
species = np.array(["adelie", "chinstrap", "gentoo"])[(train[:, 0] > 0).astype(int) + (train[:, 1] > 0.4)]
pipe = Pipeline([("scale", StandardScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(7,), random_state=0, max_iter=300))])
pipe.fit(train, species)
path = os.path.join(HERE, "skl_multiclass.onnx")
open(path, "wb").write(to_onnx(pipe, train[:1], target_opset=17).SerializeToString())
write("skl_multiclass", x, *runtime(path, x))

pipe = Pipeline([("scale", MinMaxScaler()), ("mlp", MLPClassifier(hidden_layer_sizes=(5,), activation="tanh",
                                                                      random_state=0, max_iter=300))])
pipe.fit(train, (train[:, 2] > train[:, 3]).astype(np.int64) * 3 + 2)
path = os.path.join(HERE, "skl_binary.onnx")
open(path, "wb").write(to_onnx(pipe, train[:1], target_opset=17).SerializeToString())
write("skl_binary", x, *runtime(path, x))

torch.manual_seed(0)
for name, dynamo in [("torch_dynamo", True), ("torch_legacy", False)]:
    net = nn.Sequential(nn.Linear(4, 12), nn.BatchNorm1d(12), nn.ReLU(), nn.Dropout(0.1), nn.Linear(12, 6), nn.GELU(),
                        nn.Linear(6, 3), nn.Softmax(dim=1))
    net.train()
    with torch.no_grad():
        net(torch.from_numpy(train))
    net.eval()
    path = os.path.join(HERE, f"{name}.onnx")
    options = {} if dynamo else {"opset_version": 13}
    torch.onnx.export(net, torch.from_numpy(x[:2]), path, input_names=["x"], dynamic_axes={"x": {0: "rows"}},
                      dynamo=dynamo, **options)
    write(name, x, *runtime(path, x))
