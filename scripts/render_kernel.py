#!/usr/bin/env python3
"""Render the kernelspec template kernels/walkingnoise/kernel.json.in (see kernels/walkingnoise/README.md).

Usage: render_kernel.py SRC DST GONB GOBIN GOROOT_BIN DATA REPO
"""
import json, sys
src, dst, gonb, gobin, goroot_bin, data, repo = sys.argv[1:]
subst = {"@GONB@": gonb, "@GOBIN@": gobin, "@GOROOT_BIN@": goroot_bin, "@DATA@": data, "@REPO@": repo}

def render(v):
    if isinstance(v, str):
        for k, r in subst.items():
            v = v.replace(k, r)
        return v
    if isinstance(v, list):
        return [render(x) for x in v]
    if isinstance(v, dict):
        return {k: render(x) for k, x in v.items()}
    return v

spec = render(json.load(open(src)))
left = [k for k in subst if k in json.dumps(spec)]
if left:
    sys.exit("setup: placeholders left unrendered in kernel.json: %s" % left)
with open(dst, "w") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
