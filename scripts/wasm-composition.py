#!/usr/bin/env python3
"""Groups a wasm file's code by the crate it came from, from `twiggy top` on the file built
before wasm-opt (which still has names). Usage: wasm-composition.py FILE.wasm [N]"""
import collections, csv, io, re, subprocess, sys

path, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 15
out = subprocess.run(["twiggy", "top", "-n", "1000000", "--format", "csv", path], check=True, capture_output=True, text=True).stdout
sizes, total = collections.Counter(), 0
for row in csv.DictReader(io.StringIO(out)):
    name, size = row["Name"], int(row["ShallowSize"])
    if name.startswith(("\"function names\"", "custom section", "Σ", "export \"__wbindgen_describe", "__wbindgen_describe", "import __wbindgen_placeholder__")):
        continue  # names and wasm-bindgen's descriptors: gone from the shipped file
    total += size
    # The crate of `<a::B as c::D>::f` is `a`; of `<T as c::D>::f` (a generic type) is `c`;
    # of `c::d::f` is `c`; data segments and tables stay as named.
    crate = r"([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::"
    m = re.match(r"<?&?(?:mut )?(?:dyn )?" + crate, name) or re.search(r" as " + crate, name)
    sizes[m.group(1) if m else ("data" if name.startswith("data") else "other")] += size
print(f"{'crate':<24}{'bytes':>10}{'share':>8}")
for crate, size in sizes.most_common(n):
    print(f"{crate:<24}{size:>10}{size / total:>8.1%}")
print(f"{'all code and data':<24}{total:>10}")
