"""`distill-export MODEL -o model.json`: a pickled scikit-learn model (.joblib, .pkl), a whole PyTorch
module saved with torch.save (.pt, .pth) or a Keras model (.keras, .h5) to a distill model."""
import argparse
import os
import sys

from . import ExportError, export, read_names


def load(path):
    extension = os.path.splitext(path)[1].lower()
    if extension in (".joblib", ".pkl", ".pickle"):
        import joblib

        return joblib.load(path)
    if extension in (".pt", ".pth"):
        import torch

        return torch.load(path, weights_only=False, map_location="cpu")
    if extension in (".keras", ".h5"):
        import keras

        return keras.saving.load_model(path, compile=False)
    raise ExportError(f"{path}: unknown model file type {extension!r} (expected .joblib, .pkl, .pt, .pth, .keras, .h5)")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="distill-export", description=__doc__.split("\n")[0])
    parser.add_argument("model", help="the trained model file")
    parser.add_argument("-o", "--output", required=True, help="the distill model JSON to write")
    parser.add_argument("--feature-names", help="input names: one per line, or a CSV whose header is the names")
    parser.add_argument("--class-names", help="class (or output) names, one per line")
    parser.add_argument("--data", help="a CSV of rows whose column ranges become the declared input domains")
    parser.add_argument("--task", choices=["classification", "regression"], help="PyTorch and Keras: the task")
    parser.add_argument("--name", help="the model name in the file")
    parser.add_argument("--image", help="the first inputs are an image: WIDTHxHEIGHT or WIDTHxHEIGHTxCHANNELS (e.g. 28x28), as distill's --image")
    parser.add_argument("--image-layout", choices=["hwc", "chw"], default="hwc",
                        help="with channels: each pixel's channels together (hwc, Keras) or one channel after another (chw, PyTorch)")
    packing = parser.add_mutually_exclusive_group()
    packing.add_argument("--packed", dest="packed", action="store_true", default=None, help="pack every array (base64)")
    packing.add_argument("--no-packed", dest="packed", action="store_false", help="write every array as JSON numbers")
    packing.add_argument("--float32", dest="packed", action="store_const", const="float32",
                         help="pack large arrays as float32 (smaller; rounds float64 weights)")
    args = parser.parse_args(argv)
    try:
        if os.path.exists(args.output) and os.path.samefile(args.output, args.model):
            raise ExportError(f"{args.output}: is the input model; refusing to overwrite it")
        model = load(args.model)
        data = None
        if args.data:
            import numpy as np

            names = read_names(args.data)
            rows = np.genfromtxt(args.data, delimiter=",", skip_header=1, dtype=object, encoding="utf-8")
            data = _frame(names, np.atleast_2d(rows))
        export(model, args.output, feature_names=read_names(args.feature_names) if args.feature_names else None,
               class_names=read_names(args.class_names) if args.class_names else None, data=data,
               packed=args.packed, name=args.name, task=args.task, image=_image(args.image, args.image_layout))
    except (ExportError, OSError) as error:
        print(f"distill-export: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}")
    return 0


def _image(text, layout):
    if text is None:
        return None
    try:
        sizes = [int(part) for part in text.lower().split("x")]
    except ValueError:
        raise ExportError(f"--image {text!r}: expected WIDTHxHEIGHT or WIDTHxHEIGHTxCHANNELS, e.g. 28x28")
    if len(sizes) not in (2, 3):
        raise ExportError(f"--image {text!r}: expected WIDTHxHEIGHT or WIDTHxHEIGHTxCHANNELS, e.g. 28x28")
    return dict(zip(["width", "height", "channels"], sizes), layout=layout)


def _frame(names, rows):
    """The CSV's columns by name; numeric ones as floats."""
    columns = {}
    for index, name in enumerate(names):
        values = [_number(v) for v in rows[:, index]]
        if all(isinstance(v, float) for v in values):
            columns[name] = values
    return columns


def _number(value):
    text = value.decode() if isinstance(value, bytes) else str(value)
    try:
        return float(text)
    except ValueError:
        return text


if __name__ == "__main__":
    sys.exit(main())
