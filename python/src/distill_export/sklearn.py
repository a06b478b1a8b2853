"""scikit-learn: `MLPClassifier` / `MLPRegressor`, alone or at the end of a `Pipeline` whose earlier steps
are `StandardScaler`, `MinMaxScaler`, `OneHotEncoder` and a `ColumnTransformer` of those (and
"passthrough"), lowered to distill's inputs, `standardize` steps and dense layers.

The raw inputs are the columns the pipeline reads, in the order its transformed vector uses them; a
one-hot encoded column becomes a categorical input whose values are the encoder's categories, in the
encoder's order, so that distill's encoding is the pipeline's. Every scaler is an affine map per column,
written as a `standardize` step over the encoded vector."""
import numpy as np

from .model import ExportError, categorical, continuous, dense, document, standardize

ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu", "softmax": "softmax"}


def is_sklearn(model):
    return type(model).__module__.startswith("sklearn.")


def export_sklearn(model, feature_names=None, class_names=None, data=None, packed=None, name=None):
    from sklearn.pipeline import Pipeline

    steps = [step for _, step in model.steps] if isinstance(model, Pipeline) else [model]
    steps = [step for step in steps if step is not None and step != "passthrough"]
    mlp = steps[-1]
    kind = type(mlp).__name__
    if kind not in ("MLPClassifier", "MLPRegressor"):
        raise ExportError(f"the last step must be an MLPClassifier or MLPRegressor, found {kind}")
    if not hasattr(mlp, "coefs_"):
        raise ExportError(f"the {kind} is not fitted")
    width = mlp.coefs_[0].shape[0]
    names = _input_names(model, steps, width, feature_names)
    inputs, columns, preprocessing = _lower(steps[:-1], names, width, packed)
    if data is not None:
        _add_domains(inputs, columns, data, names)
    layers = []
    for index, (coef, intercept) in enumerate(zip(mlp.coefs_, mlp.intercepts_)):
        last = index == len(mlp.coefs_) - 1
        act = ACTIVATIONS[mlp.out_activation_ if last else mlp.activation]
        layers.append(dense(np.asarray(coef).T, intercept, act, packed=packed))
    if kind == "MLPClassifier":
        if getattr(mlp, "_label_binarizer", None) is not None and mlp._label_binarizer.y_type_ == "multilabel-indicator":
            raise ExportError("a multi-label MLPClassifier has no distill equivalent (one class per row)")
        outputs = [str(c) for c in mlp.classes_] if class_names is None else list(class_names)
        if len(outputs) != len(mlp.classes_):
            raise ExportError(f"{len(outputs)} class names for {len(mlp.classes_)} classes")
        task = "classification"
    else:
        units = mlp.coefs_[-1].shape[1]
        outputs = list(class_names) if class_names is not None else (["y"] if units == 1 else [f"y{i}" for i in range(units)])
        task = "regression"
    return document(name or kind.lower(), task, inputs, outputs, layers, preprocessing)


def _input_names(model, steps, width, feature_names):
    if feature_names is not None:
        return [str(n) for n in feature_names]
    first = steps[0]
    known = getattr(first, "feature_names_in_", None)
    if known is None:
        known = getattr(model, "feature_names_in_", None)
    if known is not None:
        return [str(n) for n in known]
    count = getattr(first, "n_features_in_", width)
    return [f"x{i}" for i in range(count)]


def _lower(transformers, names, width, packed):
    """The inputs, the raw column each input reads (an index into `names`), and the standardize steps."""
    if transformers and type(transformers[0]).__name__ == "ColumnTransformer":
        inputs, columns, affine = _column_transformer(transformers[0], names)
        rest = transformers[1:]
    else:
        inputs, columns = [], []
        rest = transformers
        if rest and type(rest[0]).__name__ == "OneHotEncoder":
            for column, values in enumerate(_categories(rest[0], len(names))):
                inputs.append(categorical(names[column], values))
                columns.append(column)
            rest = rest[1:]
        else:
            inputs = [continuous(n) for n in names]
            columns = list(range(len(names)))
        affine = None
    encoded = sum(len(spec["values"]) if spec["type"] == "categorical" else 1 for spec in inputs)
    steps = []
    if affine is not None and not (np.all(affine[0] == 0) and np.all(affine[1] == 1)):
        steps.append(standardize(affine[0], affine[1], packed))
    for step in rest:
        mean, std = _scaler(step, encoded)
        steps.append(standardize(mean, std, packed))
    if encoded != width:
        raise ExportError(f"the preprocessing gives {encoded} columns but the network takes {width}")
    return inputs, columns, steps


def _scaler(step, width):
    """A scaler as (mean, std) with x' = (x - mean) / std."""
    kind = type(step).__name__
    if kind == "StandardScaler":
        mean = step.mean_ if step.mean_ is not None else np.zeros(width)
        std = step.scale_ if step.scale_ is not None else np.ones(width)
        return np.asarray(mean, dtype=np.float64) * np.ones(width), np.asarray(std, dtype=np.float64) * np.ones(width)
    if kind == "MinMaxScaler":
        if getattr(step, "clip", False):
            raise ExportError("MinMaxScaler(clip=True) clips its output: not an affine step distill can express")
        scale = np.asarray(step.scale_, dtype=np.float64)
        return -np.asarray(step.min_, dtype=np.float64) / scale, 1.0 / scale
    raise ExportError(f"pipeline step {kind} has no distill equivalent (supported: StandardScaler, MinMaxScaler, "
                      "OneHotEncoder, ColumnTransformer of those, then MLPClassifier or MLPRegressor)")


def _categories(encoder, count):
    if getattr(encoder, "drop", None) is not None:
        raise ExportError("OneHotEncoder(drop=...) removes a column distill's one-hot encoding keeps; use drop=None")
    if getattr(encoder, "min_frequency", None) is not None or getattr(encoder, "max_categories", None) is not None:
        raise ExportError("OneHotEncoder with infrequent categories has no distill equivalent")
    if len(encoder.categories_) != count:
        raise ExportError(f"the OneHotEncoder encodes {len(encoder.categories_)} columns, expected {count}")
    return [list(values) for values in encoder.categories_]


def _column_transformer(transformer, names):
    """Inputs in the order of the transformer's output, the raw column of each, and the per-column affine
    map (mean, std) of the scalers inside it."""
    inputs, columns, means, stds = [], [], [], []
    fitted = list(transformer.transformers_)
    for label, step, selection in fitted:
        if step == "drop" or (label == "remainder" and step == "drop"):
            continue
        indices = _selected(selection, names)
        if not indices:
            continue
        pipeline_steps = [s for _, s in step.steps] if type(step).__name__ == "Pipeline" else [step]
        first = pipeline_steps[0]
        if first == "passthrough" or type(first).__name__ in ("StandardScaler", "MinMaxScaler"):
            mean, std = np.zeros(len(indices)), np.ones(len(indices))
            for scaler in pipeline_steps:
                if scaler == "passthrough":
                    continue
                m, s = _scaler(scaler, len(indices))
                mean, std = mean + m * std, std * s      # (((x - mean) / std) - m) / s
            for position, column in enumerate(indices):
                inputs.append(continuous(names[column]))
                columns.append(column)
            means.extend(mean)
            stds.extend(std)
        elif type(first).__name__ == "OneHotEncoder":
            if len(pipeline_steps) > 1:
                raise ExportError(f"ColumnTransformer part {label!r}: steps after a OneHotEncoder are not supported")
            for column, values in zip(indices, _categories(first, len(indices))):
                inputs.append(categorical(names[column], values))
                columns.append(column)
                means.extend([0.0] * len(values))
                stds.extend([1.0] * len(values))
        else:
            raise ExportError(f"ColumnTransformer part {label!r}: {type(first).__name__} has no distill equivalent "
                              "(supported: passthrough, StandardScaler, MinMaxScaler, OneHotEncoder)")
    return inputs, columns, (np.asarray(means), np.asarray(stds))


def _selected(selection, names):
    if isinstance(selection, slice):
        return list(range(len(names)))[selection]
    selection = list(np.atleast_1d(selection)) if not callable(selection) else None
    if selection is None:
        raise ExportError("a ColumnTransformer column selector that is a function cannot be exported")
    if selection and isinstance(selection[0], (bool, np.bool_)):
        return [i for i, keep in enumerate(selection) if keep]
    if selection and isinstance(selection[0], (str, np.str_)):
        missing = [s for s in selection if s not in names]
        if missing:
            raise ExportError(f"ColumnTransformer selects columns {missing} that are not among the inputs")
        return [names.index(s) for s in selection]
    return [int(i) for i in selection]


def _add_domains(inputs, columns, data, names):
    """Declared domains (min/max) of the continuous inputs from rows `data` (an array or a DataFrame)."""
    if hasattr(data, "columns") or isinstance(data, dict):
        present = data.columns if hasattr(data, "columns") else data.keys()
        for spec in inputs:
            if spec["type"] == "continuous" and spec["name"] in present:
                values = np.asarray(data[spec["name"]], dtype=np.float64)
                spec["min"], spec["max"] = float(np.min(values)), float(np.max(values))
        return
    rows = np.asarray(data, dtype=object)
    if rows.ndim != 2 or rows.shape[1] != len(names):
        raise ExportError(f"data has shape {rows.shape}; expected rows of the {len(names)} input columns")
    for spec, column in zip(inputs, columns):
        if spec["type"] == "continuous":
            values = rows[:, column].astype(np.float64)
            spec["min"], spec["max"] = float(np.min(values)), float(np.max(values))
