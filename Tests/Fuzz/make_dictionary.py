"""Writes Tests/Fuzz/json.dict, the libFuzzer dictionary of the model and saved-surrogate fuzzers: every
key and short word of the seed corpus and of specs/model.schema.json, and JSON's own syntax.
Run from the repository root after make_corpus.sh."""
import glob
import json
import re

keys, words = set(), set()


def walk(value):
    if isinstance(value, dict):
        for key, member in value.items():
            keys.add(key)
            walk(member)
    elif isinstance(value, list):
        for member in value[:50]:
            walk(member)
    elif isinstance(value, str) and len(value) < 20:
        words.add(value)


def walk_schema(value):
    if isinstance(value, dict):
        for key, member in value.items():
            if key == "properties":
                keys.update(member.keys())
            if key in ("enum", "const"):
                words.update(e for e in (member if isinstance(member, list) else [member]) if isinstance(e, str))
            walk_schema(member)
    elif isinstance(value, list):
        for member in value:
            walk_schema(member)


for path in sorted(glob.glob("Tests/Fuzz/corpus/model/*.json") + glob.glob("Tests/Fuzz/corpus/surrogate/*.json")):
    with open(path) as file:
        walk(json.load(file))
with open("specs/model.schema.json") as file:
    walk_schema(json.load(file))

lines = ["# JSON tokens for the model and saved-surrogate fuzzers (libFuzzer -dict): the formats' keys and words,",
         "# and JSON's own syntax. Written by make_dictionary.py from the corpus and specs/model.schema.json."]
lines += ['"\\"%s\\""' % key for key in sorted(keys)]
lines += ['"\\"%s\\""' % word for word in sorted(words - keys) if re.fullmatch(r"[A-Za-z0-9_.\- ]+", word)]
lines += ['"%s"' % token for token in ["{", "}", "[", "]", ":", ",", "true", "false", "null", "-", "1e308", "-0", "0.5",
                                        "\\\\u0000", '\\"']]
with open("Tests/Fuzz/json.dict", "w") as file:
    file.write("\n".join(lines) + "\n")
