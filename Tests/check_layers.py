#!/usr/bin/env python3
"""Fails when a folder of Sources/Distill uses a type declared in a higher one (run by `make test`).

The layers, lowest first (docs/architecture.md): a file may use the types of its own folder and of the
folders listed before it, never those after it. Top-level types (struct, enum, class, protocol,
typealias, actor) are found by their declarations; a use is the name as a word outside comments and
string literals, not after a dot (a nested type of the same name) and not declared in the same file.

It also fails when a string literal of the library holds a command-line flag (`--max-depth`): the library
names options by their settings fields and the tool maps them to its flags (`OptionNaming`).
"""
import os
import re
import sys

LAYERS = ["Diagnostics", "Numerics", "Text", "IR", "Import", "Evaluate", "Data", "Analysis", "Surrogate", "Passes",
          "Verify", "Results", "Emit", "Pipeline"]
ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Sources", "Distill")
DECLARATION = re.compile(r"^(?:public |internal |private |fileprivate |package )?(?:final )?(?:indirect )?"
                         r"(?:struct|enum|class|protocol|typealias|actor)\s+([A-Z][A-Za-z0-9_]*)", re.M)
NESTED = re.compile(r"(?:struct|enum|class|protocol|typealias)\s+([A-Z][A-Za-z0-9_]*)")


def code(text):
    """The text without comments and string literals."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"""(?:.|\n)*?"""', '""', text)
    return re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text)


FLAG = re.compile(r'"(?:[^"\\\n]|\\.)*?(?<![\w-])--[a-z][a-z-]*')


def flags(text):
    """The command-line flags in the string literals of `text` (comments left out)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return [match.group(0) for match in FLAG.finditer(text)]


def main():
    files, layer_of = [], {}
    problems = []
    for folder, _, names in sorted(os.walk(ROOT)):
        for name in sorted(names):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            layer = os.path.relpath(path, ROOT).split(os.sep)[0]
            if layer not in LAYERS:
                problems.append(f"{os.path.relpath(path, ROOT)}: folder {layer} is not a layer of Tests/check_layers.py")
                continue
            text = open(path, encoding="utf-8").read()
            files.append((path, layer, code(text)))
            for literal in flags(text):
                problems.append(f"Sources/Distill/{os.path.relpath(path, ROOT)}: a flag in the library: {literal}")
            for declared in DECLARATION.findall(text):
                layer_of.setdefault(declared, layer)
    for path, layer, text in files:
        own = set(NESTED.findall(text))
        for name, home in sorted(layer_of.items()):
            if name not in own and LAYERS.index(home) > LAYERS.index(layer) and re.search(r"(?<![.\w])%s\b" % name, text):
                problems.append(f"Sources/Distill/{os.path.relpath(path, ROOT)}: uses {name} ({home}), a layer above {layer}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layer problems; the order, lowest first: {' < '.join(LAYERS)}")
        return 1
    print(f"layers: {len(files)} files in {len(LAYERS)} layers, none uses a higher one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
