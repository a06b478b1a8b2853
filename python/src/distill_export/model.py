"""The distill model document (specs/model-format.md) as Python builds it: inputs, preprocessing, layers,
numeric arrays (plain lists or packed base64), and atomic writing."""
import base64
import json
import os
import tempfile

import numpy as np

#: Arrays with more values than this are packed (base64) when ``packed`` is None.
PACK_THRESHOLD = 1024


class ExportError(ValueError):
    """The model has a part distill's format cannot express; the message names it."""


def array(values, packed=None):
    """A vector or matrix as the format writes it: a plain list, or a packed object in the array's own
    precision (float32 stays float32, anything else is float64), so that both are exact. `packed` may
    also be "float32": every array above the threshold packed as float32 (half the size of float64, and
    rounded to float32 when the model's weights are float64)."""
    a = np.asarray(values)
    dtype = "float32" if a.dtype == np.float32 else "float64"
    if packed == "float32":
        dtype, packed = "float32", None
    a = np.ascontiguousarray(a, dtype="<f4" if dtype == "float32" else "<f8")
    if not np.all(np.isfinite(a)):
        raise ExportError("the model holds a non-finite number (NaN or infinity)")
    if packed is None:
        packed = a.size > PACK_THRESHOLD
    if packed:
        return {"dtype": dtype, "shape": list(a.shape), "base64": base64.b64encode(a.tobytes()).decode("ascii")}
    return np.asarray(a, dtype=np.float64).tolist()


def dense(weights, bias, activation="identity", alpha=None, packed=None):
    """A dense layer from weights of shape units x inputs."""
    layer = {"type": "dense", "weights": array(weights, packed), "bias": array(bias, packed), "activation": activation}
    if alpha is not None:
        layer["alpha"] = float(alpha)
    return layer


def activation(name, alpha=None):
    layer = {"type": "activation", "activation": name}
    if alpha is not None:
        layer["alpha"] = float(alpha)
    return layer


def batchnorm(gamma, beta, mean, variance, epsilon, packed=None):
    return {"type": "batchnorm", "gamma": array(gamma, packed), "beta": array(beta, packed),
            "mean": array(mean, packed), "variance": array(variance, packed), "epsilon": float(epsilon)}


def standardize(mean, std, packed=None):
    std = np.asarray(std, dtype=np.float64)
    if np.any(std <= 0):
        raise ExportError("a scaling step divides by zero or a negative number")
    return {"type": "standardize", "mean": array(np.asarray(mean, dtype=np.float64), packed), "std": array(std, packed)}


def continuous(name, low=None, high=None):
    spec = {"name": str(name), "type": "continuous"}
    if low is not None and high is not None:
        spec["min"], spec["max"] = float(low), float(high)
    return spec


def categorical(name, values):
    names = [category_name(v) for v in values]
    if len(set(names)) != len(names):
        raise ExportError(f"input {name!r}: two categories have the same text: {names}")
    return {"name": str(name), "type": "categorical", "values": names}


def category_name(value):
    """The CSV text of a category: strings as they are, whole numbers without a fraction."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def document(name, task, inputs, outputs, layers, preprocessing=()):
    names = [spec["name"] for spec in inputs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ExportError(f"input names must be unique; repeated: {', '.join(duplicates)}")
    outputs = [str(o) for o in outputs]
    if len(set(outputs)) != len(outputs):
        raise ExportError(f"output names must be unique: {outputs}")
    return {"format": "distill-model", "version": 1, "name": name, "task": task, "inputs": list(inputs),
            "outputs": outputs, "preprocessing": list(preprocessing), "layers": list(layers)}


def image_member(inputs, image):
    """The model's "image" member for `image` ((height, width), (height, width, channels) or a dict with
    height, width, channels, layout and first) over `inputs` (the document's input specs), checked as distill
    checks it: the run from the first input holds height x width x channels continuous or binary inputs."""
    if isinstance(image, dict):
        unknown = sorted(set(image) - {"height", "width", "channels", "layout", "first"})
        if unknown:
            raise ExportError(f"image: unknown keys {unknown}; expected height, width, channels, layout, first")
        spec = dict(image)
    else:
        sizes = list(image)
        if len(sizes) not in (2, 3):
            raise ExportError(f"image: expected (height, width) or (height, width, channels), found {tuple(sizes)}")
        spec = dict(zip(["height", "width", "channels"], sizes))
    sizes = [spec.get("height"), spec.get("width"), spec.get("channels", 1)]
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1 for v in sizes):
        raise ExportError(f"image: height, width and channels must be positive integers, found {sizes}")
    layout = spec.get("layout", "hwc")
    if layout not in ("hwc", "chw"):
        raise ExportError(f"image: layout must be 'hwc' or 'chw', found {layout!r}")
    names = [item["name"] for item in inputs]
    first = names.index(spec["first"]) if "first" in spec and spec["first"] in names else 0
    if "first" in spec and spec["first"] not in names:
        raise ExportError(f"image: first input {spec['first']!r} is not an input of the model")
    count = int(sizes[0]) * int(sizes[1]) * int(sizes[2])
    if first + count > len(names):
        raise ExportError(f"image: {sizes[0]} x {sizes[1]} x {sizes[2]} = {count} values from input {first} "
                          f"need {first + count} inputs; the model has {len(names)}")
    categorical = [item["name"] for item in inputs[first:first + count] if item["type"] == "categorical"]
    if categorical:
        raise ExportError(f"image: input {categorical[0]!r} is categorical; an image's inputs must be continuous or binary")
    member = {"height": int(sizes[0]), "width": int(sizes[1])}
    if sizes[2] != 1:
        member.update(channels=int(sizes[2]), layout=layout)
    member["inputs"] = [names[first], names[first + count - 1]]
    return member


def write(model, path):
    """Writes the document to `path` atomically (a temporary file in the same folder, then a rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".distill-export-", dir=folder)
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(model, out)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def read_names(path):
    """Names from a file: one per line, or the header of a CSV file (the first line, split at commas)."""
    with open(path, encoding="utf-8-sig") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    if not lines:
        raise ExportError(f"{path}: no names")
    if path.lower().endswith(".csv") or (len(lines) >= 1 and "," in lines[0]):
        return [name.strip() for name in lines[0].split(",")]
    return lines
