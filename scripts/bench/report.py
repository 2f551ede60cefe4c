#!/usr/bin/python3
"""report.py GO_BENCH_TXT TORCH_JSONL WALKS_JSONL

Prints Markdown tables: our per-model throughput next to PyTorch's, each as the fastest and the median of its
processes (bench.sh runs them in rounds, one `go test -bench` process of ours and one torch_ref.py process per model
and mode each round), with two ratios ours/theirs (> 1 means we are faster): fastest to fastest (our best
against the strongest baseline) and median to median; stacked training; and the
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


def go_rates(path):
    """Our img/s per (model, mode): one figure per process: bench.sh runs each benchmark once per round."""
    rates = {}
    for line in open(path):
        m = re.match(r"Benchmark(TrainStepOneSite|TrainStepClean|TrainStep|EvalBatch)/(\S+?)-\d+\s.*?([\d.]+) img/s",
                     line)
        if m:
            rates.setdefault((m.group(2), GO_MODES[m.group(1)]), []).append(float(m.group(3)))
    return rates


def stack_medians(path):
    """Medians of BenchmarkStackStep (K copies) and BenchmarkTrainStepOneSite/mlp-tfc-bn (one model), img/s."""
    rates = {}
    for line in open(path):
        m = re.match(r"Benchmark(?:StackStep/\S+?/K=(\d+)|TrainStepOneSite/mlp-tfc-bn)-\d+\s.*?([\d.]+) img/s", line)
        if m:
            rates.setdefault(int(m.group(1) or 0), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in rates.items()}


def step_batch(path):
    """Medians of BenchmarkStepBatch's ns/op per (model, batch)."""
    times = {}
    for line in open(path):
        m = re.match(r"BenchmarkStepBatch/(\S+?)/batch=(\d+)-\d+\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            times.setdefault((m.group(1), int(m.group(2))), []).append(float(m.group(3)))
    return {k: statistics.median(v) for k, v in times.items()}


def normal_ns(go_path, torch_path, draw="normal"):
    """ns per value, one figure per process: ours (BenchmarkNormal/StoreNormal, or /StoreNormalInPlace for draw
    "inplace"), PyTorch's (torch_ref.py normal-throughput --draw normal|inplace)."""
    name = {"normal": "StoreNormal", "inplace": "StoreNormalInPlace"}[draw]
    ours, theirs = [], []
    for line in open(go_path):
        m = re.match(r"BenchmarkNormal/" + name + r"-\d+\s.*?([\d.]+) ns/normal", line)
        if m:
            ours.append(float(m.group(1)))
    for line in open(torch_path):
        line = line.strip()
        if line.startswith("{"):
            o = json.loads(line)
            if o.get("summary") == "median" and o["mode"] == "normal" and o.get("draw", "normal") == draw:
                theirs.append(float(o["ns_per_normal"]))
    return ours, theirs


def normals_per_image(path):
    """BenchmarkTrainStep's normals/img per model: the values noise at every site draws per image."""
    out = {}
    for line in open(path):
        m = re.match(r"BenchmarkTrainStep/(\S+?)-\d+\s.*?([\d.]+) normals/img", line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def noise_cost(rates, model, per_image):
    """What noise at every site adds to a training step per value drawn, ns: from median img/s with noise at
    every site and without noise, (1/every − 1/clean) / values per image."""
    every, clean = rates.get((model, GO_MODES["TrainStep"])), rates.get((model, GO_MODES["TrainStepClean"]))
    if not every or not clean:
        return None
    return (1 / statistics.median(every) - 1 / statistics.median(clean)) * 1e9 / per_image


def torch_rates(path):
    """PyTorch's img/s per (model, mode): one figure per process (its summary line)."""
    out = {}
    for line in open(path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        if o.get("summary") != "median" or o["mode"] == "normal":
            continue
        if o.get("noise") == "none":
            mode = o["mode"] + ", no noise"
        elif o.get("site", "all") == "all":
            mode = o["mode"] + ", noise at every site"
        else:
            mode = o["mode"] + ", noise at one site"
        out.setdefault((o["model"], mode), []).append(float(o["img_per_s"]))
    return out


def fmt_ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "–"


def fmt_rate(v):
    return f"{v:,.0f}" if v else "–"


def walks(path):
    runs = {}
    for line in open(path):
        line = line.strip()
        if line.startswith("{"):
            o = json.loads(line)
            runs.setdefault(o["walk"], {})[o["who"]] = float(o["seconds"])
    return runs


def main():
    go, torch = go_rates(sys.argv[1]), torch_rates(sys.argv[2])
    n = max((len(v) for v in list(go.values()) + list(torch.values())), default=0)
    print(f"Per model, {n} process(es) each side: fastest (median)")
    print()
    print("| model | mode | ours img/s | PyTorch img/s | ratio, fastest | ratio, median |")
    print("|---|---|---|---|---|---|")
    for key in sorted(set(go) | set(torch), key=lambda k: (MODE_ORDER.index(k[1]) if k[1] in MODE_ORDER else 9, k[0])):
        a, b = go.get(key, []), torch.get(key, [])
        ab, am = (max(a), statistics.median(a)) if a else (None, None)
        bb, bm = (max(b), statistics.median(b)) if b else (None, None)
        print(f"| {key[0]} | {key[1]} | {fmt_rate(ab)} ({fmt_rate(am)}) | {fmt_rate(bb)} ({fmt_rate(bm)}) "
              f"| {fmt_ratio(ab, bb)} | {fmt_ratio(am, bm)} |")
    draws = [(label, *normal_ns(sys.argv[1], sys.argv[2], draw))
             for draw, label in (("normal", "in a fresh tensor"), ("inplace", "in place"))]
    draws = [d for d in draws if d[1] and d[2]]
    if draws:
        print()
        print("Standard normal draws, [128, 1370] float32, ns per value: fastest (median); "
              "ratio theirs/ours (> 1: ours faster). In a fresh tensor: noise.StoreNormal's values returned by "
              "an executable, torch.normal; in place: StoreNormal's values added to a tensor whose buffer the "
              "call takes over, x.normal_().")
        print()
        print("| draw | ours | PyTorch | ratio, fastest | ratio, median |")
        print("|---|---|---|---|---|")
        for label, o, t in draws:
            bo, mo, bt, mt = min(o), statistics.median(o), min(t), statistics.median(t)
            print(f"| {label} | {bo:.2f} ({mo:.2f}) | {bt:.2f} ({mt:.2f}) | {bt / bo:.2f}x | {mt / mo:.2f}x |")
    per_image = normals_per_image(sys.argv[1])
    if per_image:
        print()
        print("What noise at every site adds to a training step, ns per value drawn: (1/every site − 1/clean) "
              "over the median img/s above, divided by the values drawn per image (both sides draw at the same "
              "sites); ratio theirs/ours")
        print()
        print("| model | values per image | ours | PyTorch | ratio |")
        print("|---|---|---|---|---|")
        for model in sorted(per_image):
            a, b = noise_cost(go, model, per_image[model]), noise_cost(torch, model, per_image[model])
            print(f"| {model} | {per_image[model]:,.0f} | {a:.2f} | {b:.2f} | {b / a:.2f}x |" if a and b else
                  f"| {model} | {per_image[model]:,.0f} | – | – | – |")
    stack = stack_medians(sys.argv[1])
    if stack.get(0):
        print()
        print("Stacked training, MLP-TFC (BN), additive noise at one site (ours; K copies per step):")
        print()
        print("| K | img/s | vs one model |")
        print("|---|---|---|")
        for k in sorted(k for k in stack if k):
            print(f"| {k} | {stack[k]:,.0f} | {stack[k] / stack[0]:.2f}x |")
    steps = step_batch(sys.argv[1])
    if steps:
        print()
        print("Cost of a training step that does not grow with the batch (ours, one worker per op, noise at one site):")
        print("a step at batch 4 against one at 128, the most a stack of K copies could save per copy:")
        print()
        print("| model | µs/step, batch 4 | µs/step, batch 128 | share |")
        print("|---|---|---|---|")
        for model in sorted({m for m, _ in steps}):
            small, full = steps.get((model, 4)), steps.get((model, 128))
            if small and full:
                print(f"| {model} | {small / 1e3:,.0f} | {full / 1e3:,.0f} | {small / full:.0%} |")
    runs = walks(sys.argv[3])
    if not runs:
        return
    print()
    print("End-to-end walks (wall seconds; ratio = strongest PyTorch baseline / ours, > 1: ours faster):")
    print()
    print("| walk | run | seconds | vs strongest PyTorch |")
    print("|---|---|---|---|")
    for walk, who in runs.items():
        torch_runs = {k: v for k, v in who.items() if k.startswith("torch")}
        best = min(torch_runs.values()) if torch_runs else None
        for name, sec in sorted(who.items(), key=lambda kv: (not kv[0].startswith("ours"), kv[1])):
            ratio = f"{best / sec:.2f}x" if best and name.startswith("ours") else (
                "strongest" if best and sec == best else "")
            print(f"| {walk} | {name} | {sec:.1f} | {ratio} |")


if __name__ == "__main__":
    main()
