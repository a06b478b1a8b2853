"""PyTorch nn.Sequential exported by distill_export against PyTorch itself: `distill predict` within 1e-6
of the module's own float32 forward pass (collected only where torch is installed)."""
import json

import numpy as np
import torch
import torch.nn as nn

import distill_export
from conftest import predict, write_rows

TOLERANCE = 1e-6


def rows(count=200, width=6, seed=0):
    return np.random.default_rng(seed).normal(size=(count, width)).astype(np.float32)


def settle(net, x):
    """Training-mode passes give BatchNorm real running statistics; then evaluation mode."""
    net.train()
    with torch.no_grad():
        for _ in range(5):
            net(torch.from_numpy(x))
    net.eval()
    return net


def compare(net, x, tmp_path, expected, **options):
    path, data = str(tmp_path / "model.json"), str(tmp_path / "rows.csv")
    distill_export.export(net, path, **options)
    write_rows(data, {f"x{i}": x[:, i].astype(np.float64) for i in range(x.shape[1])})
    _, values = predict(path, data)
    assert values.shape == expected.shape
    assert np.max(np.abs(values - expected)) <= TOLERANCE
    return json.load(open(path))


def test_softmax_classifier_with_batchnorm_and_every_activation(tmp_path):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(6, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.2),
                        nn.Sequential(nn.Linear(32, 16), nn.LeakyReLU(0.1)), nn.Linear(16, 16), nn.GELU(),
                        nn.Linear(16, 12), nn.ELU(0.7), nn.Linear(12, 10), nn.SiLU(), nn.Linear(10, 8), nn.Tanh(),
                        nn.Linear(8, 8), nn.Softplus(), nn.Linear(8, 8), nn.SELU(), nn.Linear(8, 8), nn.Hardsigmoid(),
                        nn.Linear(8, 3), nn.Softmax(dim=1))
    x = rows()
    settle(net, x)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).double().numpy()
    model = compare(net, x, tmp_path, expected, class_names=["a", "b", "c"], packed=True)
    assert model["task"] == "classification" and model["outputs"] == ["a", "b", "c"]
    assert model["layers"][0]["weights"]["dtype"] == "float32"


def test_logits_are_turned_into_probabilities_and_regression_stays_raw(tmp_path):
    torch.manual_seed(1)
    x = rows(seed=1)
    logits = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 4)).eval()
    with torch.no_grad():
        expected = torch.softmax(logits(torch.from_numpy(x)), dim=1).double().numpy()
    compare(logits, x, tmp_path, expected, task="classification")
    binary = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 1), nn.Sigmoid()).eval()
    with torch.no_grad():
        p = binary(torch.from_numpy(x)).double().numpy()
    model = compare(binary, x, tmp_path, np.column_stack([1 - p, p]), class_names=["no", "yes"])
    assert model["outputs"] == ["no", "yes"]
    regression = nn.Sequential(nn.Linear(6, 7), nn.ReLU(), nn.Linear(7, 2)).eval()
    with torch.no_grad():
        expected = regression(torch.from_numpy(x)).double().numpy()
    model = compare(regression, x, tmp_path, expected)
    assert model["task"] == "regression" and model["outputs"] == ["y0", "y1"]


def test_unsupported_modules_are_named():
    import pytest

    for net, text in [(nn.Sequential(nn.Linear(3, 2), nn.GELU(approximate="tanh")), "approximate"),
                      (nn.Sequential(nn.Linear(3, 2), nn.ReLU6()), "ReLU6"),
                      (nn.Sequential(nn.Linear(3, 2), nn.Softplus(beta=2)), "beta")]:
        with pytest.raises(distill_export.ExportError, match=text):
            distill_export.convert(net)
