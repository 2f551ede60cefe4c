#!/usr/bin/python3
"""report.py GO_BENCH_TXT TORCH_JSONL OURS_WALK_SECONDS TORCH_WALK_TXT [INFERENCE_WALK_SECONDS INFERENCE_WALK_DESC]

Prints a Markdown table of our throughput (median over `go test -bench -count N` lines) next to the PyTorch
reference's (median JSON lines of torch_ref.py), the ratio ours/theirs (> 1 means we are faster), and the
end-to-end walk times. Reports only; asserts nothing about speed.
"""
import json
import re
import statistics
import sys


def go_medians(path):
    rates = {}
    for line in open(path):
        m = re.match(r"Benchmark(TrainStep|TrainStepClean|EvalBatch)/(\S+?)-\d+\s.*?([\d.]+) img/s", line)
        if m:
            mode = {"TrainStep": "train", "TrainStepClean": "train, no noise", "EvalBatch": "eval"}[m.group(1)]
            rates.setdefault((m.group(2), mode), []).append(float(m.group(3)))
    return {k: statistics.median(v) for k, v in rates.items()}


def stack_medians(path):
    """Medians of BenchmarkStackStep (K copies) and BenchmarkTrainStepOneSite (one model), img/s."""
    rates = {}
    for line in open(path):
        m = re.match(r"Benchmark(?:StackStep/\S+?/K=(\d+)|TrainStepOneSite/\S+?)-\d+\s.*?([\d.]+) img/s", line)
        if m:
            rates.setdefault(int(m.group(1) or 0), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in rates.items()}


def torch_medians(path):
    out = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        if o.get("summary") == "median":
            mode = o["mode"] + (", no noise" if o.get("noise") == "none" else "")
            out[(o["model"], mode)] = float(o["img_per_s"])
    return out


def main():
    go, torch = go_medians(sys.argv[1]), torch_medians(sys.argv[2])
    print("| model | mode | ours img/s | PyTorch img/s | ratio |")
    print("|---|---|---|---|---|")
    for key in sorted(set(go) | set(torch), key=lambda k: (k[1] != "train", k[0])):
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
    ours = float(sys.argv[3])
    theirs = None
    for line in open(sys.argv[4]):
        if '"summary": "torch_walk"' in line:
            theirs = float(json.loads(line)["total_wall_s"])
    print()
    if theirs:
        print(f"End-to-end noisy-training walk: ours {ours:.1f} s, PyTorch (one process per point) {theirs:.1f} s, "
              f"ratio {theirs / ours:.2f}x (> 1: ours faster)")
    else:
        print(f"End-to-end noisy-training walk: ours {ours:.1f} s; no PyTorch summary found")
    if len(sys.argv) > 6:
        print(f"Inference-only walk ({sys.argv[6]}): ours {float(sys.argv[5]):.1f} s")


if __name__ == "__main__":
    main()
