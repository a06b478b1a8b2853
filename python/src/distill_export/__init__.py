"""Export trained networks to distill's model format (specs/model-format.md in the distill repository).

    import distill_export
    distill_export.export(pipeline, "model.json", data=X_train)

scikit-learn `MLPClassifier` / `MLPRegressor` (alone or at the end of a `Pipeline` of `StandardScaler`,
`MinMaxScaler`, `OneHotEncoder` and `ColumnTransformer`), PyTorch `nn.Sequential` and Keras 3 `Sequential`.
"""
from .model import PACK_THRESHOLD, ExportError, image_member, read_names, write

__all__ = ["export", "convert", "image_member", "ExportError", "PACK_THRESHOLD"]
__version__ = "0.1.0"


def convert(model, *, feature_names=None, class_names=None, data=None, packed=None, name=None, task=None, image=None):
    """The distill model document (a dict) for `model`.

    feature_names: input names (default: the names the model was fitted with, else x0, x1, ...).
    class_names: class names in output order (default: the classifier's classes, else 0, 1, ...); for a
        regression network, the output names.
    data: rows (array or DataFrame) whose per-column min and max become the declared input domains.
    packed: True packs every array as base64, False none, None (default) those above PACK_THRESHOLD
        values; packed arrays keep the model's precision (float32 or float64), so both are exact.
        "float32" packs those above the threshold as float32 whatever the model's precision (smaller
        files; a float64 model's weights are then rounded to float32).
    task: "classification" or "regression" for PyTorch and Keras networks (default: classification
        when class_names are given or the network ends in softmax or sigmoid).
    image: the inputs are the pixels of an image, for distill's pixel maps: (height, width) or
        (height, width, channels) over the first inputs, or a dict with "height", "width" and optionally
        "channels", "layout" ("hwc", the default, or "chw" as PyTorch orders an image) and "first" (the name
        of the image's first input).
    """
    document = _convert(model, feature_names, class_names, data, packed, name, task)
    if image is not None:
        document["image"] = image_member(document["inputs"], image)
    return document


def _convert(model, feature_names, class_names, data, packed, name, task):
    from .sklearn import is_sklearn

    if is_sklearn(model):
        from .sklearn import export_sklearn

        if task is not None:
            raise ExportError("task is decided by the scikit-learn estimator; leave it out")
        return export_sklearn(model, feature_names, class_names, data, packed, name)
    from .torch import is_torch

    if is_torch(model):
        from .torch import export_torch

        return export_torch(model, feature_names, class_names, data, packed, name, task)
    from .keras import is_keras

    if is_keras(model):
        from .keras import export_keras

        return export_keras(model, feature_names, class_names, data, packed, name, task)
    raise ExportError(f"cannot export a {type(model).__module__}.{type(model).__name__}: expected a scikit-learn MLP "
                      "or Pipeline, a PyTorch nn.Sequential or a Keras Sequential")


def export(model, path, *, feature_names=None, class_names=None, data=None, packed=None, name=None, task=None,
           image=None):
    """Writes `model` to `path` as a distill model (atomically); returns the document. See `convert`."""
    document = convert(model, feature_names=feature_names, class_names=class_names, data=data, packed=packed,
                       name=name, task=task, image=image)
    write(document, path)
    return document
