#!/usr/bin/python3
"""report.py GO_BENCH_TXT TORCH_JSONL WALKS_JSONL

Prints Markdown tables: our throughput (median over `go test -bench -count N` lines) next to PyTorch's (the
fastest of torch_ref.py's summary lines for the same model and mode, one per process: PyTorch's figures vary by
up to 5x between processes on shared VMs, so we compare with its best) with the ratio ours/theirs (> 1 means we
are faster); stacked training; and the
end-to-end walks (one JSON line per timed run: walk, who, seconds), each compared with the STRONGEST PyTorch
baseline of that walk (the fastest torch-* run). Reports only; asserts nothing about speed.
"""
import json
import re
import statistics
import sys

GO_MODES = {"TrainStep": "train, noise at every site", "TrainStepOneSite": "train, noise at one site",
            "TrainStepClean": "train, no noise", "EvalBatch": "eval, noise at every site"}
MODE_ORDER = list(GO_MODES.values())


def go_medians(path):
    rates = {}
    for line in open(path):
        m = re.match(r"Benchmark(TrainStepOneSite|TrainStepClean|TrainStep|EvalBatch)/(\S+?)-\d+\s.*?([\d.]+) img/s",
                     line)
        if m:
            rates.setdefault((m.group(2), GO_MODES[m.group(1)]), []).append(float(m.group(3)))
    return {k: statistics.median(v) for k, v in rates.items()}


def stack_medians(path):
    """Medians of BenchmarkStackStep (K copies) and BenchmarkTrainStepOneSite/mlp-tfc-bn (one model), img/s."""
    rates = {}
    for line in open(path):
        m = re.match(r"Benchmark(?:StackStep/\S+?/K=(\d+)|TrainStepOneSite/mlp-tfc-bn)-\d+\s.*?([\d.]+) img/s", line)
        if m:
            rates.setdefault(int(m.group(1) or 0), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in rates.items()}


def torch_best(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        if o.get("summary") != "median":
            continue
        if o.get("noise") == "none":
            mode = o["mode"] + ", no noise"
        elif o.get("site", "all") == "all":
            mode = o["mode"] + ", noise at every site"
        else:
            mode = o["mode"] + ", noise at one site"
        key = (o["model"], mode)
        out[key] = max(out.get(key, 0.0), float(o["img_per_s"]))
    return out


def walks(path):
    runs = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            o = json.loads(line)
            runs.setdefault(o["walk"], {})[o["who"]] = float(o["seconds"])
    return runs


def main():
    go, torch = go_medians(sys.argv[1]), torch_best(sys.argv[2])
    print("| model | mode | ours img/s (median) | PyTorch img/s (fastest process) | ratio |")
    print("|---|---|---|---|---|")
    for key in sorted(set(go) | set(torch), key=lambda k: (MODE_ORDER.index(k[1]) if k[1] in MODE_ORDER else 9, k[0])):
        a, b = go.get(key), torch.get(key)
        ratio = f"{a / b:.2f}x" if a and b else "–"
        fa = f"{a:,.0f}" if a else "–"
        fb = f"{b:,.0f}" if b else "–"
        print(f"| {key[0]} | {key[1]} | {fa} | {fb} | {ratio} |")
    stack = stack_medians(sys.argv[1])
    if stack.get(0):
        print()
        print("Stacked training, MLP-TFC (BN), additive noise at one site (ours; K copies per step):")
        print()
        print("| K | img/s | vs one model |")
        print("|---|---|---|")
        for k in sorted(k for k in stack if k):
            print(f"| {k} | {stack[k]:,.0f} | {stack[k] / stack[0]:.2f}x |")
    print()
    print("End-to-end walks (wall seconds; ratio = strongest PyTorch baseline / ours, > 1: ours faster):")
    print()
    print("| walk | run | seconds | vs strongest PyTorch |")
    print("|---|---|---|---|")
    for walk, who in walks(sys.argv[3]).items():
        torch_runs = {k: v for k, v in who.items() if k.startswith("torch")}
        best = min(torch_runs.values()) if torch_runs else None
        for name, sec in sorted(who.items(), key=lambda kv: (not kv[0].startswith("ours"), kv[1])):
            ratio = f"{best / sec:.2f}x" if best and name.startswith("ours") else (
                "strongest" if best and sec == best else "")
            print(f"| {walk} | {name} | {sec:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
