"""ONNX files written by torch.onnx.export (the default exporter, weights in an external data file, and
the TorchScript one, whose GELU is five nodes around Erf), against onnxruntime: within 1e-5. Collected
where torch, onnxscript and onnxruntime are installed."""
import numpy as np
import onnxruntime
import pytest
import torch
import torch.nn as nn

from conftest import predict, write_rows

TOLERANCE = 1e-5


@pytest.mark.parametrize("dynamo", [True, False])
def test_sequential_exported_to_onnx(tmp_path, dynamo):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 8), nn.GELU(),
                        nn.Linear(8, 8), nn.LeakyReLU(0.2), nn.Linear(8, 3), nn.Softmax(dim=1))
    x = np.random.default_rng(0).normal(size=(200, 6)).astype(np.float32)
    net.train()
    with torch.no_grad():
        net(torch.from_numpy(x))
    net.eval()
    path, data = str(tmp_path / "net.onnx"), str(tmp_path / "rows.csv")
    options = {} if dynamo else {"opset_version": 13}
    torch.onnx.export(net, torch.from_numpy(x[:2]), path, input_names=["x"], dynamic_axes={"x": {0: "rows"}},
                      dynamo=dynamo, **options)
    session = onnxruntime.InferenceSession(path)
    expected = np.asarray(session.run(None, {"x": x})[0], dtype=np.float64)
    write_rows(data, {f"x{i}": x[:, i].astype(np.float64) for i in range(6)})
    _, values = predict(path, data)
    assert np.max(np.abs(values - expected)) <= TOLERANCE
