"""Keras 3: a `Sequential` of Dense, Activation, BatchNormalization, Dropout, LeakyReLU, ReLU, Softmax,
ELU, Flatten and InputLayer, with a leading `Normalization` turned into a standardize step. Dense kernels
are inputs x units and are transposed to distill's units x inputs."""
import numpy as np

from .model import ExportError, activation, batchnorm, dense, standardize
from .torch import _document

NAMES = {"linear": "identity", "relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "softmax": "softmax", "elu": "elu",
         "gelu": "gelu", "softplus": "softplus", "silu": "silu", "swish": "silu", "leaky_relu": "leaky_relu",
         "selu": "selu", "hard_sigmoid": "hard_sigmoid"}
#: The parameter distill needs for Keras's activations: leaky_relu's slope, hard_sigmoid's (relu6(x + 3) / 6).
ALPHA = {"leaky_relu": 0.2, "hard_sigmoid": 1 / 6}


def is_keras(model):
    return any(cls.__module__.startswith("keras") for cls in type(model).__mro__)


def _activation_name(value, where):
    if isinstance(value, dict):
        value = value.get("config", {}).get("name", value.get("class_name"))
    if callable(value):
        value = getattr(value, "__name__", str(value))
    name = NAMES.get(str(value))
    if name is None:
        raise ExportError(f"{where}: activation {value!r} has no distill equivalent (supported: {', '.join(sorted(NAMES))})")
    return name


def export_keras(model, feature_names=None, class_names=None, data=None, packed=None, name=None, task=None):
    import keras

    if not isinstance(model, keras.Sequential):
        raise ExportError(f"a Keras model must be a Sequential, found {type(model).__name__}")
    layers, preprocessing, width, units = [], [], None, None
    for index, layer in enumerate(model.layers):
        where = f"layer {index} ({layer.name}, {type(layer).__name__})"
        config = layer.get_config()
        weights = layer.get_weights()
        kind = type(layer).__name__
        if kind == "Dense":
            kernel = weights[0]
            bias = weights[1] if config.get("use_bias", True) else np.zeros(kernel.shape[1], dtype=kernel.dtype)
            act = _activation_name(config.get("activation", "linear"), where)
            layers.append(dense(kernel.T, bias, act, alpha=ALPHA.get(act), packed=packed))
            width = width if width is not None else kernel.shape[0]
            units = kernel.shape[1]
        elif kind == "Normalization":
            if layers or preprocessing:
                raise ExportError(f"{where}: a Normalization layer must come first")
            if config.get("invert"):
                raise ExportError(f"{where}: Normalization(invert=True) cannot be exported")
            mean = np.ravel(np.asarray(layer.mean, dtype=np.float64))
            variance = np.ravel(np.asarray(layer.variance, dtype=np.float64))
            preprocessing.append(standardize(mean, np.maximum(np.sqrt(variance), keras.backend.epsilon()), packed))
            width = mean.size
        elif kind == "BatchNormalization":
            if config.get("axis", -1) not in (-1, 1, [-1], [1]):
                raise ExportError(f"{where}: BatchNormalization over axis {config.get('axis')} must be over the features")
            count = weights[-1].shape[0]
            values = list(weights)
            gamma = values.pop(0) if config.get("scale", True) else np.ones(count, dtype=np.float32)
            beta = values.pop(0) if config.get("center", True) else np.zeros(count, dtype=np.float32)
            mean, variance = values
            layers.append(batchnorm(gamma, beta, mean, variance, config.get("epsilon", 1e-3), packed))
        elif kind == "Dropout":
            layers.append({"type": "dropout", "rate": float(config.get("rate", 0))})
        elif kind == "Activation":
            act = _activation_name(config["activation"], where)
            layers.append(activation(act, ALPHA.get(act)))
        elif kind == "LeakyReLU":
            layers.append(activation("leaky_relu", config.get("negative_slope", config.get("alpha", 0.3))))
        elif kind == "ReLU":
            if config.get("max_value") is not None or config.get("threshold", 0) != 0 or config.get("negative_slope", 0) != 0:
                raise ExportError(f"{where}: ReLU with max_value, threshold or negative_slope has no distill equivalent")
            layers.append(activation("relu"))
        elif kind == "ELU":
            layers.append(activation("elu", config.get("alpha", 1.0)))
        elif kind == "Softmax":
            if config.get("axis", -1) not in (-1, 1):
                raise ExportError(f"{where}: Softmax over axis {config.get('axis')} must be over the features")
            layers.append(activation("softmax"))
        elif kind in ("InputLayer", "Flatten"):
            continue
        else:
            raise ExportError(f"{where} has no distill equivalent (supported: Dense, Activation, BatchNormalization, "
                              "Dropout, LeakyReLU, ReLU, ELU, Softmax, Normalization first, Flatten, InputLayer)")
    if units is None:
        raise ExportError("the Sequential has no Dense layer")
    result = _document(layers, width, units, feature_names, class_names, data, name or model.name, task)
    result["preprocessing"] = preprocessing
    return result
