#!/usr/bin/env python3
"""Writes the name lists NameRecognizer knows, Sources/TactPrivacy/Resources/first-names.txt and
surnames.txt (lowercase, sorted, one name a line), from the 1990 US Census name frequency files
(public domain; shipped in the PyPI package `names` 0.3.0 as dist.male.first, dist.female.first and
dist.all.last). The TextLiterals build plugin compiles them in as string literals. Usage: scripts/generate-name-lists.py DIR_WITH_DIST_FILES"""
import pathlib, sys

root = pathlib.Path(__file__).resolve().parent.parent
src = pathlib.Path(sys.argv[1])
def read(name):
    out = []
    for line in (src / name).read_text().splitlines():
        parts = line.split()
        if parts:
            out.append(parts[0].lower())
    return out

first = sorted(set(read("dist.male.first") + read("dist.female.first")))
last = sorted(set(read("dist.all.last")))
resources = root / "Sources/TactPrivacy/Resources"
(resources / "first-names.txt").write_text("".join(name + "\n" for name in first))
(resources / "surnames.txt").write_text("".join(name + "\n" for name in last))
print(f"{len(first)} first names, {len(last)} surnames")
