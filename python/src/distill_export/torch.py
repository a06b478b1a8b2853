"""PyTorch: an `nn.Sequential` (nested ones are flattened) of Linear, BatchNorm1d, Dropout, Flatten,
Identity and the activations distill has, lowered layer by layer. `nn.Linear.weight` is out x in,
distill's layout; float32 parameters are written as float32 (exact)."""
import numpy as np

from .model import ExportError, activation, batchnorm, continuous, dense, document


def is_torch(model):
    return any(cls.__module__.startswith("torch.nn") for cls in type(model).__mro__)


def _numpy(tensor):
    return tensor.detach().cpu().numpy()


def _modules(net):
    import torch.nn as nn

    if isinstance(net, nn.Sequential):
        for module in net:
            yield from _modules(module)
    else:
        yield net


def export_torch(net, feature_names=None, class_names=None, data=None, packed=None, name=None, task=None):
    import torch.nn as nn

    if not isinstance(net, nn.Sequential):
        raise ExportError(f"a PyTorch model must be an nn.Sequential, found {type(net).__name__}")
    simple = {nn.ReLU: "relu", nn.Tanh: "tanh", nn.Sigmoid: "sigmoid", nn.SiLU: "silu", nn.SELU: "selu",
              nn.Identity: None, nn.Flatten: None}
    layers, width, units = [], None, None
    modules = list(_modules(net))
    for index, module in enumerate(modules):
        where = f"module {index} ({type(module).__name__})"
        if isinstance(module, nn.Linear):
            weight = _numpy(module.weight)
            bias = _numpy(module.bias) if module.bias is not None else np.zeros(module.out_features, dtype=weight.dtype)
            layers.append(dense(weight, bias, packed=packed))
            width = width if width is not None else module.in_features
            units = module.out_features
        elif isinstance(module, nn.BatchNorm1d):
            if not module.track_running_stats or module.running_mean is None:
                raise ExportError(f"{where}: BatchNorm1d without running statistics cannot be exported")
            count = module.num_features
            gamma = _numpy(module.weight) if module.affine else np.ones(count, dtype=np.float32)
            beta = _numpy(module.bias) if module.affine else np.zeros(count, dtype=np.float32)
            layers.append(batchnorm(gamma, beta, _numpy(module.running_mean), _numpy(module.running_var), module.eps, packed))
        elif isinstance(module, nn.Dropout):
            layers.append({"type": "dropout", "p": float(module.p)})
        elif isinstance(module, nn.LeakyReLU):
            layers.append(activation("leaky_relu", module.negative_slope))
        elif isinstance(module, nn.ELU):
            layers.append(activation("elu", module.alpha))
        elif isinstance(module, nn.GELU):
            if module.approximate != "none":
                raise ExportError(f"{where}: GELU(approximate={module.approximate!r}); distill has the exact erf form only")
            layers.append(activation("gelu"))
        elif isinstance(module, nn.Hardsigmoid):
            layers.append(activation("hard_sigmoid", 1 / 6))
        elif isinstance(module, nn.Softplus):
            if module.beta != 1:
                raise ExportError(f"{where}: Softplus(beta={module.beta}); distill has beta = 1 only")
            layers.append(activation("softplus"))
        elif isinstance(module, nn.Softmax):
            if module.dim not in (None, 1, -1):
                raise ExportError(f"{where}: Softmax(dim={module.dim}) must be over the features (dim=1 or -1)")
            layers.append(activation("softmax"))
        elif type(module) in simple:
            if simple[type(module)] is not None:
                layers.append(activation(simple[type(module)]))
        else:
            raise ExportError(f"{where} has no distill equivalent (supported: Linear, BatchNorm1d, Dropout, Flatten, "
                              "Identity, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, ELU, GELU, Softplus, SiLU, SELU, Hardsigmoid)")
    if width is None:
        raise ExportError("the nn.Sequential has no Linear layer")
    return _document(layers, width, units, feature_names, class_names, data, name or "torch-sequential", task)


def _document(layers, width, units, feature_names, class_names, data, name, task):
    """Inputs x0.. (or the names given), outputs and task from the last layer, domains from data."""
    names = [str(n) for n in feature_names] if feature_names is not None else [f"x{i}" for i in range(width)]
    if len(names) != width:
        raise ExportError(f"{len(names)} feature names for {width} inputs")
    final = next((l for l in reversed(layers) if l["type"] in ("dense", "activation")), {})
    ends_in_probabilities = final.get("activation") in ("softmax", "sigmoid")
    if task is None:
        task = "classification" if class_names is not None or ends_in_probabilities else "regression"
    if task == "classification":
        outputs = list(class_names) if class_names is not None else [str(i) for i in range(max(units, 2))]
        if len(outputs) != max(units, 2) and not (units == 1 and len(outputs) == 2):
            raise ExportError(f"{len(outputs)} class names for {units} output units")
    else:
        outputs = list(class_names) if class_names is not None else (["y"] if units == 1 else [f"y{i}" for i in range(units)])
    inputs = [continuous(n) for n in names]
    if isinstance(data, dict) or hasattr(data, "columns"):
        present = data.columns if hasattr(data, "columns") else data.keys()
        for spec in inputs:
            if spec["name"] in present:
                values = np.asarray(data[spec["name"]], dtype=np.float64)
                spec["min"], spec["max"] = float(values.min()), float(values.max())
    elif data is not None:
        rows = np.asarray(data, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != width:
            raise ExportError(f"data has shape {rows.shape}; expected rows of {width} inputs")
        for spec, low, high in zip(inputs, rows.min(axis=0), rows.max(axis=0)):
            spec["min"], spec["max"] = float(low), float(high)
    return document(name, task, inputs, outputs, layers)
