#!/usr/bin/env python3
"""The include rule of docs/ARCHITECTURE.md, checked over the source tree.

1. A library includes only itself and the libraries below it (LAYERS: data flows one way).
2. `<lib>/internal/` headers are that library's own: included by its sources and by tests/<lib>/ and
   bench/ only, never by another library, cli/ included.
3. A public header never includes an internal one (it would leak into every includer).

Usage: include_check.py SOURCE_DIR        exit 0 when the tree keeps the rule, 1 with one line a break
       include_check.py --self-test       checks that each rule catches a break in a made-up tree
"""
import os
import re
import sys
import tempfile

# Who may include whom. Keep in step with docs/ARCHITECTURE.md and the CMake link lines.
LAYERS = {
    "core": set(),
    "net": {"core"},
    "bundle": {"core"},
    "resolver": {"core"},
    "validate": {"core", "resolver"},
    "render": {"core", "resolver", "bundle"},
    "attest": {"core", "resolver", "bundle", "net"},
    "deliver": {"core", "bundle", "net"},
    "conformance": {"core", "resolver", "validate", "bundle", "net"},
    "server": {"core", "resolver", "bundle", "validate", "render", "attest", "deliver"},
    "tools": {"core"},
}
LIBRARIES = set(LAYERS) | {"cli"}
LAYERS["cli"] = LIBRARIES - {"cli", "tools"}
SOURCES = (".cpp", ".hpp", ".h", ".cc")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/([^"]+)"')


def files_under(root):
    for top in sorted(LIBRARIES | {"tests", "bench", "fuzz"}):
        base = os.path.join(root, top)
        for folder, dirs, names in os.walk(base):
            dirs.sort()
            for name in sorted(names):
                if name.endswith(SOURCES):
                    yield os.path.relpath(os.path.join(folder, name), root)


def owner_of(rel):
    """(library the file belongs to, True when it is a test or benchmark of it)."""
    parts = rel.split(os.sep)
    if parts[0] == "tests":
        return (parts[1] if len(parts) > 2 else None), True
    if parts[0] in ("bench", "fuzz"):
        return None, True
    return parts[0], False


def breaks(root):
    found = []
    for rel in files_under(root):
        owner, is_test = owner_of(rel)
        public_header = rel.endswith((".hpp", ".h")) and "/internal/" not in rel and not is_test
        with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m or m.group(1) not in LIBRARIES:
                    continue
                lib, path = m.group(1), m.group(2)
                where = f"{rel}:{number}: {lib}/{path}"
                internal = path.startswith("internal/")
                if not is_test and lib != owner and lib not in LAYERS.get(owner, set()):
                    found.append(f"{where}: {owner}/ may not include {lib}/ (allowed: "
                                 f"{', '.join(sorted(LAYERS.get(owner, set()))) or 'none'})")
                elif internal and lib != owner and not (is_test and owner is None):
                    found.append(f"{where}: another library's internal header")
                elif internal and public_header:
                    found.append(f"{where}: a public header includes an internal one")
    return found


def self_test():
    cases = {
        "core/a.hpp": ('#include "resolver/resolver.hpp"\n', "core/ may not include resolver/"),
        "render/b.cpp": ('#include "attest/attest.hpp"\n', "render/ may not include attest/"),
        "cli/c.cpp": ('#include "render/internal/x.hpp"\n', "another library's internal header"),
        "tests/render/d.cpp": ('#include "attest/internal/x.hpp"\n', "another library's internal header"),
        "render/render.hpp": ('#include "render/internal/x.hpp"\n', "a public header includes an internal one"),
    }
    failures = 0
    for rel, (text, expected) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
            got = breaks(root)
            if len(got) != 1 or expected not in got[0]:
                print(f"self-test: {rel}: expected one break '{expected}', got {got}")
                failures += 1
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "render", "internal"))
        os.makedirs(os.path.join(root, "tests", "render"))
        for rel, text in {"render/x.cpp": '#include "render/internal/y.hpp"\n#include "bundle/bundle.hpp"\n',
                          "tests/render/t.cpp": '#include "render/internal/y.hpp"\n',
                          "cli/z.cpp": '#include "deliver/deliver.hpp"\n'}.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        if breaks(root):
            print(f"self-test: a tree that keeps the rule was refused: {breaks(root)}")
            failures += 1
    print(f"{len(cases) + 1 - failures} passed, {failures} failed")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2], file=sys.stderr)
        return 2
    found = breaks(argv[1])
    for line in found:
        print(line)
    checked = sum(1 for _ in files_under(argv[1]))
    if checked == 0:
        print(f"include_check: no source files under {argv[1]}")
        return 1
    print(f"include_check: {checked} files, {len(found)} breaks of the include rule")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
