#!/usr/bin/python3
"""torch_ref.py: the PyTorch reference side of the Walking Noise speed benchmark.

A plain-PyTorch re-implementation of the reference models of "Walking Noise" (Borras, Klein,
Froening, arXiv 2212.10430; code UniHD-CEG/walking-noise), used as the speed baseline for the
Go library. See /work/shared/research/method.md sections 1-4 for the specification.

Run it with Debian's interpreter and torch 1.13 (python3-torch + libopenblas0-pthread):

    /usr/bin/python3 scripts/bench/torch_ref.py train-throughput --model mlp-tfc-nobn --runs 3
    /usr/bin/python3 scripts/bench/torch_ref.py eval-throughput --model lenet5-bn --batch 128,1000
    /usr/bin/python3 scripts/bench/torch_ref.py walk-point --model mlp-tfc-bn --site 3 --sigma 0.1 \
        --epochs 1 --data-dir data
    /usr/bin/python3 scripts/bench/torch_ref.py walk-sweep --model mlp-tfc-bn --forward lean \
        --sites 0,1,2 --sigmas 0.1,1 --data-dir data          # every point in one process
    /usr/bin/python3 scripts/bench/torch_ref.py walk-inference --model mlp-tfc-bn --forward lean \
        --sites 0,1,2 --sigmas 0.1,1,10 --data-dir data       # one clean model, evaluated per point

Models (site = noise operator index, exactly as in method.md section 2 tables):
    mlp-tfc-bn    RL_TFC        784-64-64-64-10 with BN1d, 11 sites, 59,210 + 384 BN parameters
    mlp-tfc-nobn  RL_TFC-noBN   same without BN, 8 sites, 59,210 parameters
    lenet5-bn     LeNet5-BN     C6@5-BN-ReLU-Pool2-C16@5-BN-ReLU-Pool2-FC120-BN-ReLU-FC84-BN-ReLU-FC10,
                                16 sites, 44,426 + 452 BN parameters
    lenet5-nobn   LeNet5        same without BN, 12 sites, 44,426 parameters

Noise: "add" is x + N(0, sigma^2), "mul" is x * N(1, sigma^2), fresh i.i.d. draw per element per
forward pass, active in train and eval mode (enable_in_training = enable_in_eval = 1).

Forward modes: "faithful" (default) copies the authors' forward loop, which at every noise site
allocates zeros_like(x), clones x, adds the noise-op output and divides by the repetition count 1
(even for sites without noise); "lean" applies the modules one after another.

Threads: --threads T calls torch.set_num_threads(T) and sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS
and MKL_NUM_THREADS to T before torch is imported (--blas-threads B overrides OPENBLAS_NUM_THREADS).
On the 2-core project machine 1 thread was fastest for every model (OpenBLAS pthreads plus OpenMP
oversubscribe the two cores; see ecosystem.md section 5.3). Measured here: MLP-TFC-BN training
26.7k img/s with 1 thread against 9.0k with 2; one MNIST walk point 3.1 s against 25.9 s.
Throughput JSON lines carry own_cores / other_cores (from /proc/stat) so that runs disturbed by
other processes on the shared machine can be spotted and discarded.

Output: one JSON object per line on stdout; the environment summary goes to stderr once.
"""
import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time

T0 = time.time()  # Process-level start (before importing torch), used for total_s.


def _early_flag(argv, name, default):
    """Returns the value of flag `name` from argv, read before torch is imported."""
    for i, a in enumerate(argv):
        if a == name and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith(name + "="):
            return a.split("=", 1)[1]
    return default


_THREADS = _early_flag(sys.argv[1:], "--threads", "1")
os.environ["OMP_NUM_THREADS"] = _THREADS
os.environ["MKL_NUM_THREADS"] = _THREADS
os.environ["OPENBLAS_NUM_THREADS"] = _early_flag(sys.argv[1:], "--blas-threads", _THREADS)

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

T_IMPORTED = time.time()

MODELS = ("mlp-tfc-bn", "mlp-tfc-nobn", "lenet5-bn", "lenet5-nobn")
# Layer configurations, following models_noisy/mlp.py and lenet.py of the reference code.
LAYOUTS = {
    "mlp-tfc-bn": ["F64", "BN1", "ReLU", "F64", "BN1", "ReLU", "F64", "BN1", "ReLU"],
    "mlp-tfc-nobn": ["F64", "ReLU", "F64", "ReLU", "F64", "ReLU"],
    "lenet5-bn": ["C6", "BN2", "ReLU", "M2", "C16", "BN2", "ReLU", "M2", "Flat",
                  "F120", "BN1", "ReLU", "F84", "BN1", "ReLU"],
    "lenet5-nobn": ["C6", "ReLU", "M2", "C16", "ReLU", "M2", "Flat", "F120", "ReLU", "F84", "ReLU"],
}
# Expected (sites, parameters without BN, BN parameters) from method.md section 2 (MNIST input).
EXPECTED = {
    "mlp-tfc-bn": (11, 59210, 384),
    "mlp-tfc-nobn": (8, 59210, 0),
    "lenet5-bn": (16, 44426, 452),
    "lenet5-nobn": (12, 44426, 0),
}
SIGMAS = [0.01, 0.0316, 0.1, 0.316, 1.0, 3.16, 10.0, 31.6]


class NoiseOp(nn.Module):
    """Noise operator placed after an op: "add" x+N(0,s^2), "mul" x*N(1,s^2), or "none"."""

    def __init__(self, kind="none", sigma=0.0, in_train=True, in_eval=True):
        super().__init__()
        if kind not in ("none", "add", "mul"):
            raise ValueError(f"noise kind {kind!r} invalid (valid: none, add, mul)")
        self.kind, self.sigma, self.in_train, self.in_eval = kind, float(sigma), in_train, in_eval

    def forward(self, x):
        active = self.in_train if self.training else self.in_eval
        if self.kind == "none" or not active:
            return x
        if self.kind == "add":
            return x + torch.normal(0.0, self.sigma, x.size())
        return x * torch.normal(1.0, self.sigma, x.size())

    def extra_repr(self):
        return f"kind={self.kind}, sigma={self.sigma}"


class NoisyNet(nn.Module):
    """Sequential network with a NoiseOp after the input and after every op (except Flatten)."""

    def __init__(self, name, noise_for_site, faithful=True, in_shape=(1, 28, 28), classes=10):
        super().__init__()
        if name not in LAYOUTS:
            raise ValueError(f"model {name!r} unknown (valid: {', '.join(MODELS)})")
        self.faithful = faithful
        layers, self.site_names = [], []

        def add(mod, label):
            layers.append(mod)
            if label is not None:
                layers.append(noise_for_site(len(self.site_names)))
                self.site_names.append(label)

        c, h, w = in_shape
        width = c * h * w  # Current feature count (MLP) or channel count (conv part).
        if name.startswith("mlp"):
            add(nn.Flatten(), "input")
        else:
            add(nn.Identity(), "input")
            width = c
        n = {"F": 0, "C": 0, "BN": 0, "ReLU": 0, "M": 0}
        for item in LAYOUTS[name]:
            if item.startswith("F") and item != "Flat":
                n["F"] += 1
                add(nn.Linear(width, int(item[1:])), f"fc{n['F']}")
                width = int(item[1:])
            elif item.startswith("C"):
                n["C"] += 1
                add(nn.Conv2d(width, int(item[1:]), kernel_size=5), f"conv{n['C']}")
                width, h, w = int(item[1:]), h - 4, w - 4
            elif item in ("BN1", "BN2"):
                n["BN"] += 1
                bn = nn.BatchNorm1d(width) if item == "BN1" else nn.BatchNorm2d(width)
                add(bn, f"bn{n['BN']}")
            elif item == "ReLU":
                n["ReLU"] += 1
                add(nn.ReLU(inplace=name.startswith("mlp")), f"relu{n['ReLU']}")
            elif item == "M2":
                n["M"] += 1
                add(nn.MaxPool2d(2), f"pool{n['M']}")
                h, w = h // 2, w // 2
            elif item == "Flat":
                add(nn.Flatten(), None)
                width = width * h * w
        add(nn.Linear(width, classes), "logits")
        self.features = nn.ModuleList(layers)

    def forward(self, x):
        for mod in self.features:
            if self.faithful and isinstance(mod, NoiseOp):
                # The reference forward: sum of `repetitions` (=1) noise draws on clones of x.
                acc = torch.zeros_like(x)
                acc += mod(x.clone())
                x = acc / 1
            else:
                x = mod(x)
        return x


def param_counts(model):
    """Returns (parameters outside BatchNorm, BatchNorm parameters)."""
    bn = sum(p.numel() for m in model.modules()
             if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)) for p in m.parameters())
    return sum(p.numel() for p in model.parameters()) - bn, bn


def make_model(name, noise_for_site, faithful):
    """Builds a model and asserts its site and parameter counts against method.md section 2."""
    model = NoisyNet(name, noise_for_site, faithful).to(dtype=torch.float32)
    sites, plain, bn = EXPECTED[name]
    got = (len(model.site_names),) + param_counts(model)
    assert got == (sites, plain, bn), f"{name}: (sites, params, BN params) = {got}, want {(sites, plain, bn)}"
    return model


def print_env(threads):
    """Prints torch version, threads, BLAS and CPU once to stderr."""
    torch.mm(torch.rand(64, 64), torch.rand(64, 64))  # Make sure the BLAS library is loaded.
    with open("/proc/self/maps") as f:
        blas = sorted({ln.split()[-1] for ln in f if "blas" in ln.lower() and "/" in ln})
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for ln in f:
            if ln.startswith("model name"):
                cpu = ln.split(":", 1)[1].strip()
                break
    cfg = [ln.strip() for ln in torch.__config__.show().splitlines() if ln.strip()]
    print(f"# python {sys.executable} {sys.version.split()[0]}; torch {torch.__version__}; "
          f"numpy {np.__version__}", file=sys.stderr)
    print(f"# threads: torch.get_num_threads()={torch.get_num_threads()} (requested {threads}); "
          + " ".join(f"{k}={os.environ.get(k)}" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")),
          file=sys.stderr)
    print(f"# CPU: {cpu}; os.cpu_count()={os.cpu_count()}", file=sys.stderr)
    print(f"# BLAS loaded: {', '.join(blas) or 'none found in /proc/self/maps'}", file=sys.stderr)
    for ln in cfg[:6]:
        print(f"# torch config: {ln}", file=sys.stderr)
    blas_info = re.findall(r"(?:BLAS_INFO|LAPACK_INFO)=[^,\s]+", torch.__config__.show())
    print(f"# torch config: {' '.join(blas_info) or 'BLAS_INFO not reported'} (generic = the system "
          "libblas.so.3 alternative, listed above)", file=sys.stderr)


def emit(obj):
    """Prints one JSON result line on stdout (with the OpenBLAS thread count added)."""
    obj["blas_threads"] = int(os.environ["OPENBLAS_NUM_THREADS"])
    print(json.dumps(obj), flush=True)


class CPUWatch:
    """Measures, over a timed region, the cores this process used and the cores everyone else used.

    Other processes on the shared 2-core machine distort throughput; `other_cores` (busy cores
    from /proc/stat minus this process's CPU time) makes contaminated runs visible in the JSON.
    """

    def __init__(self):
        self.t, self.own, self.busy = time.perf_counter(), self._own(), self._busy()

    @staticmethod
    def _own():
        t = os.times()
        return t.user + t.system

    @staticmethod
    def _busy():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return (sum(v[:8]) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")  # Minus idle and iowait.

    def stop(self):
        """Returns a dict with own_cores and other_cores averaged over the region."""
        dt = time.perf_counter() - self.t
        own = (self._own() - self.own) / dt
        self.other = round(max(0.0, (self._busy() - self.busy) / dt - own), 2)
        return dict(own_cores=round(own, 2), other_cores=self.other)


def synthetic_pool(batch, seed, count=8):
    """Returns `count` batches of uniform [0,1) 1x28x28 images with uniform random labels."""
    g = torch.Generator().manual_seed(seed)
    return [(torch.rand(batch, 1, 28, 28, generator=g), torch.randint(0, 10, (batch,), generator=g))
            for _ in range(count)]


def train_step(model, opt, crit, x, y):
    """One training step exactly as the reference training loop (including its loss/accuracy sync)."""
    opt.zero_grad()
    out = model(x)
    loss = crit(out, y)
    loss.backward()
    opt.step()
    return loss.item(), out.max(1)[1].eq(y).sum().item()


def site_noise(a):
    """Returns noise_for_site for --site-name: every site ("all") or the one site of that name."""
    if a.site_name == "all":
        return lambda i: NoiseOp(a.noise, a.sigma)  # noqa: E731
    names = make_model(a.model, lambda i: NoiseOp("none"), True).site_names
    if a.site_name not in names:
        raise SystemExit(f"--site-name {a.site_name!r} is not a site of {a.model} (valid: all, {', '.join(names)})")
    k = names.index(a.site_name)
    return lambda i: NoiseOp(a.noise, a.sigma) if i == k else NoiseOp("none")  # noqa: E731


def cmd_train_throughput(a):
    torch.manual_seed(a.seed)
    model = make_model(a.model, site_noise(a), a.forward == "faithful")
    opt, crit = torch.optim.Adam(model.parameters(), lr=1e-3), nn.CrossEntropyLoss()
    pool = synthetic_pool(a.batch[0], a.seed)
    model.train()
    rates, other = [], []
    for run in range(a.runs):
        for i in range(a.warmup):
            train_step(model, opt, crit, *pool[i % len(pool)])
        t, cw = time.perf_counter(), CPUWatch()
        for i in range(a.steps):
            train_step(model, opt, crit, *pool[i % len(pool)])
        dt = time.perf_counter() - t
        rates.append(a.steps * a.batch[0] / dt)
        emit(dict(model=a.model, mode="train", run=run, img_per_s=round(rates[-1], 1),
                  step_ms=round(1000 * dt / a.steps, 3), threads=torch.get_num_threads(),
                  torch_version=torch.__version__, batch=a.batch[0], noise=a.noise, sigma=a.sigma,
                  site=a.site_name, forward=a.forward, **cw.stop()))
        other.append(cw.other)
    emit(dict(model=a.model, mode="train", summary="median", runs=a.runs, max_other_cores=max(other),
              img_per_s=round(statistics.median(rates), 1), threads=torch.get_num_threads(),
              torch_version=torch.__version__, batch=a.batch[0], noise=a.noise, sigma=a.sigma,
              site=a.site_name, forward=a.forward))


def cmd_eval_throughput(a):
    torch.manual_seed(a.seed)
    model = make_model(a.model, lambda i: NoiseOp(a.noise, a.sigma), a.forward == "faithful")
    crit = nn.CrossEntropyLoss()
    model.eval()
    for batch in a.batch:
        pool = synthetic_pool(batch, a.seed, count=4)
        rates, other = [], []
        with torch.no_grad():
            for run in range(a.runs):
                for i in range(a.warmup + a.steps):
                    if i == a.warmup:
                        t, cw = time.perf_counter(), CPUWatch()
                    x, y = pool[i % len(pool)]
                    out = model(x)
                    crit(out, y).item()  # The reference validation loop also sums the loss.
                    out.max(1)[1].eq(y).sum().item()
                dt = time.perf_counter() - t
                rates.append(a.steps * batch / dt)
                emit(dict(model=a.model, mode="eval", run=run, img_per_s=round(rates[-1], 1),
                          threads=torch.get_num_threads(), torch_version=torch.__version__,
                          batch=batch, noise=a.noise, sigma=a.sigma, forward=a.forward, **cw.stop()))
                other.append(cw.other)
        emit(dict(model=a.model, mode="eval", summary="median", runs=a.runs, max_other_cores=max(other),
                  img_per_s=round(statistics.median(rates), 1), threads=torch.get_num_threads(),
                  torch_version=torch.__version__, batch=batch, noise=a.noise, sigma=a.sigma,
                  forward=a.forward))


def cmd_normal_throughput(a):
    """ns per standard normal of the draw NoiseOp makes: torch.normal on [batch, 1370] (one MLP-TFC-BN batch's
    values, noise at every site), the counterpart of our noise package's BenchmarkNormal/StoreNormal; with
    --draw inplace, x.normal_() on an existing tensor of that shape instead (no allocation), the counterpart of
    BenchmarkNormal/StoreNormalInPlace."""
    torch.manual_seed(a.seed)
    shape, rates = (a.batch[0], 1370), []
    x = torch.empty(shape)
    fn = {"normal": lambda: torch.normal(0.0, 1.0, shape), "inplace": lambda: x.normal_()}[a.draw]
    for run in range(a.runs):
        for _ in range(a.warmup):
            fn()
        t = time.perf_counter()
        for _ in range(a.steps):
            fn()
        rates.append((time.perf_counter() - t) * 1e9 / (a.steps * shape[0] * shape[1]))
        emit(dict(mode="normal", draw=a.draw, run=run, ns_per_normal=round(rates[-1], 3),
                  threads=torch.get_num_threads(), torch_version=torch.__version__, shape=list(shape)))
    emit(dict(mode="normal", draw=a.draw, summary="median", runs=a.runs,
              ns_per_normal=round(statistics.median(rates), 3), threads=torch.get_num_threads(),
              torch_version=torch.__version__, shape=list(shape)))


def read_idx(path):
    """Reads an IDX file (LeCun format), decompressed or gzip'ed (.gz), into a numpy uint8 array."""
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic >> 8 != 0x08:
        raise ValueError(f"{path}: IDX magic {magic:#x} is not an unsigned-byte IDX file")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} bytes of data, header says {dims}")
    return data.reshape(dims)


def load_mnist(data_dir, train):
    """Loads MNIST as (float32 N x 1 x 28 x 28 in [0,1] (ToTensor scaling), int64 labels).

    Like our loader (and torchvision, which keeps the raw files decompressed), it reads the decompressed IDX
    files that scripts/fetch-data.sh writes next to the .gz when they are there, else the .gz."""
    prefix = "train" if train else "t10k"
    for d in (os.path.join(data_dir, "mnist"), data_dir):
        for ext in ("", ".gz"):
            img = os.path.join(d, f"{prefix}-images-idx3-ubyte{ext}")
            lab = os.path.join(d, f"{prefix}-labels-idx1-ubyte{ext}")
            if os.path.exists(img) and os.path.exists(lab):
                return read_idx(img), read_idx(lab)
    raise FileNotFoundError(f"{prefix}-images-idx3-ubyte[.gz] not found in {data_dir}/mnist or {data_dir}")


class UInt8Images(torch.utils.data.Dataset):
    """Per-sample dataset doing ToTensor's uint8 -> float/255 conversion per image, like torchvision."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return torch.from_numpy(self.x[i].astype(np.float32) / 255.0).unsqueeze(0), int(self.y[i])


def batches(x, y, batch, shuffle, loader, workers):
    """Yields (images, labels) batches; "tensor" slices preloaded tensors, "dataloader" uses DataLoader."""
    if loader == "dataloader":
        yield from torch.utils.data.DataLoader(UInt8Images(x, y), batch_size=batch, shuffle=shuffle,
                                               num_workers=workers)
        return
    idx = torch.randperm(len(y)) if shuffle else None
    for i in range(0, len(y), batch):
        if idx is None:
            yield x[i:i + batch], y[i:i + batch]
        else:
            j = idx[i:i + batch]
            yield x[j], y[j]


def load_tensors(a):
    """Loads MNIST once as float tensors (ToTensor scaling) or, for --loader dataloader, uint8 arrays."""
    xtr, ytr = load_mnist(a.data_dir, True)
    xte, yte = load_mnist(a.data_dir, False)
    if a.subset:
        xtr, ytr = xtr[:a.subset], ytr[:a.subset]
    if getattr(a, "test_subset", 0):
        xte, yte = xte[:a.test_subset], yte[:a.test_subset]
    if a.loader == "tensor":
        xtr = torch.from_numpy(xtr.astype(np.float32) / 255.0).unsqueeze(1)
        xte = torch.from_numpy(xte.astype(np.float32) / 255.0).unsqueeze(1)
        ytr, yte = torch.from_numpy(ytr.astype(np.int64)), torch.from_numpy(yte.astype(np.int64))
    return xtr, ytr, xte, yte


def evaluate(model, crit, xte, yte, a, batch=128):
    """Test accuracy (%) of model in eval mode, as the reference validation loop computes it."""
    model.eval()
    correct, vl = 0, 0.0
    with torch.no_grad():
        for x, y in batches(xte, yte, batch, False, a.loader, a.workers):
            out = model(x)
            vl += crit(out, y).item()
            correct += out.max(1)[1].eq(y).sum().item()
    return 100.0 * correct / len(yte), vl


def train_point(a, data, site, sigma, noise_kind):
    """Trains a fresh model with noise at one site (site < 0: no noise) as the reference does and
    returns (model, test accuracy %, train seconds, eval seconds)."""
    xtr, ytr, xte, yte = data
    torch.manual_seed(a.seed)
    noise = lambda i: NoiseOp(noise_kind, sigma) if i == site else NoiseOp("none")  # noqa: E731
    model = make_model(a.model, noise, a.forward == "faithful")
    model.train()
    model(torch.randn(2, 1, 28, 28))  # The reference's dry run (lazy-layer init) in train mode.
    opt, crit = torch.optim.Adam(model.parameters(), lr=1e-3), nn.CrossEntropyLoss()
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs)
    train_s = eval_s = 0.0
    for epoch in range(a.epochs):
        t = time.time()
        model.train()
        tl, tc = 0.0, 0
        for x, y in batches(xtr, ytr, 128, True, a.loader, a.workers):
            loss, corr = train_step(model, opt, crit, x, y)
            tl, tc = tl + loss, tc + corr
        train_s += time.time() - t
        t = time.time()
        acc, vl = evaluate(model, crit, xte, yte, a)
        eval_s += time.time() - t
        sched.step()
        print(f"# epoch {epoch + 1}/{a.epochs}: train loss {tl:.3f} acc {100.0 * tc / len(ytr):.2f}; "
              f"test loss {vl:.3f} acc {acc:.2f}", file=sys.stderr)
    return model, acc, train_s, eval_s


def check_site(a, site):
    nsites = EXPECTED[a.model][0]
    if not 0 <= site < nsites:
        raise SystemExit(f"{a.cmd}: site {site} out of range for {a.model} (valid: 0..{nsites - 1})")


def cmd_walk_point(a):
    check_site(a, a.site)
    data = load_tensors(a)
    t_loaded = time.time()
    model, acc, train_s, eval_s = train_point(a, data, a.site, a.sigma, a.noise)
    emit(dict(model=a.model, site=a.site, site_name=model.site_names[a.site], sigma=a.sigma,
              noise=a.noise, acc=acc, epochs=a.epochs, train_images=len(data[1]), seed=a.seed,
              train_s=round(train_s, 3), eval_s=round(eval_s, 3), load_s=round(t_loaded - T_IMPORTED, 3),
              import_s=round(T_IMPORTED - T0, 3), total_s=round(time.time() - T0, 3),
              threads=torch.get_num_threads(), loader=a.loader, forward=a.forward,
              torch_version=torch.__version__))


def cmd_walk_sweep(a):
    """A noisy-training walk in ONE process, as a careful researcher would write it: data loaded once,
    then a fresh model per (site, sigma) point trained and evaluated in a loop."""
    for site in a.sites:
        check_site(a, site)
    data = load_tensors(a)
    t0 = time.time()
    n = 0
    for site in a.sites:
        for sigma in a.sigmas:
            t = time.time()
            _, acc, train_s, eval_s = train_point(a, data, site, sigma, a.noise)
            emit(dict(model=a.model, site=site, sigma=sigma, noise=a.noise, acc=acc, epochs=a.epochs,
                      train_s=round(train_s, 3), eval_s=round(eval_s, 3), wall_s=round(time.time() - t, 3)))
            n += 1
    emit(dict(summary="torch_sweep", model=a.model, points=n, epochs=a.epochs, forward=a.forward,
              threads=torch.get_num_threads(), train_images=len(data[1]), total_wall_s=round(time.time() - T0, 3),
              loop_s=round(time.time() - t0, 3), import_s=round(T_IMPORTED - T0, 3), torch_version=torch.__version__))


def cmd_walk_inference(a):
    """An inference-only walk in one process: one clean model trained, then every (site, sigma) evaluated
    with noise at that site only (the model's NoiseOps are switched in place, no retraining)."""
    for site in a.sites:
        check_site(a, site)
    data = load_tensors(a)
    t0 = time.time()
    model, clean, train_s, _ = train_point(a, data, -1, 0.0, "none")
    ops = [m for m in model.features if isinstance(m, NoiseOp)]
    crit = nn.CrossEntropyLoss()
    t1 = time.time()
    n = 0
    for site in a.sites:
        for sigma in a.sigmas:
            ops[site].kind, ops[site].sigma = a.noise, float(sigma)
            acc, _ = evaluate(model, crit, data[2], data[3], a, batch=a.eval_batch)
            ops[site].kind = "none"
            emit(dict(model=a.model, site=site, sigma=sigma, noise=a.noise, acc=acc))
            n += 1
    emit(dict(summary="torch_inference", model=a.model, points=n, clean_acc=clean, forward=a.forward,
              threads=torch.get_num_threads(), test_images=len(data[3]), train_s=round(train_s, 3),
              sweep_s=round(time.time() - t1, 3), loop_s=round(time.time() - t0, 3),
              total_wall_s=round(time.time() - T0, 3), torch_version=torch.__version__))


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp, batch_default):
        sp.add_argument("--model", choices=MODELS, default="mlp-tfc-bn")
        sp.add_argument("--sigma", type=float, default=0.1, help="noise std (default 0.1)")
        sp.add_argument("--noise", choices=("add", "mul", "none"), default="add")
        sp.add_argument("--threads", type=int, default=1, help="torch/OpenMP/OpenBLAS threads (default 1)")
        sp.add_argument("--blas-threads", type=int, default=None,
                        help="OPENBLAS_NUM_THREADS if different from --threads (experiments only)")
        sp.add_argument("--seed", type=int, default=0)
        sp.add_argument("--forward", choices=("faithful", "lean"), default="faithful")
        if batch_default is not None:
            sp.add_argument("--steps", type=int, default=200, help="timed steps per run")
            sp.add_argument("--warmup", type=int, default=10, help="untimed steps before each run")
            sp.add_argument("--runs", type=int, default=3)
            sp.add_argument("--batch", default=batch_default,
                            type=lambda s: [int(v) for v in s.split(",")], help="batch size(s), comma list")

    tp = sub.add_parser("train-throughput", help="training img/s, noise at every site or one")
    common(tp, "128")
    tp.add_argument("--site-name", default="all", help="noise only at this site (e.g. fc2, conv2); default all")
    common(sub.add_parser("eval-throughput", help="eval img/s (no_grad), noise at every site"), "128,1000")
    np_ = sub.add_parser("normal-throughput", help="ns per standard normal of NoiseOp's draw, [batch, 1370]")
    common(np_, "128")
    np_.add_argument("--draw", choices=("normal", "inplace"), default="normal",
                   help="torch.normal (a fresh tensor), or x.normal_() (into an existing tensor)")
    wp = sub.add_parser("walk-point", help="one noisy-training point on MNIST (noise at one site)")
    common(wp, None)
    wp.add_argument("--site", type=int, required=True, help="noise operator index")
    wp.add_argument("--epochs", type=int, default=1)
    wp.add_argument("--data-dir", required=True, help="directory holding mnist/*-idx?-ubyte.gz")
    wp.add_argument("--subset", type=int, default=0, help="use only the first N training images (0 = all)")
    wp.add_argument("--loader", choices=("tensor", "dataloader"), default="tensor",
                    help="tensor: slice preloaded tensors; dataloader: per-sample Dataset + DataLoader")
    wp.add_argument("--workers", type=int, default=0, help="DataLoader workers (reference used 1)")
    floats = lambda v: [float(x) for x in v.replace(",", " ").split()]  # noqa: E731
    ints = lambda v: [int(x) for x in v.replace(",", " ").split()]  # noqa: E731
    for name, hlp in (("walk-sweep", "noisy-training walk, all points in one process (data loaded once)"),
                      ("walk-inference", "inference-only walk in one process: one clean model, every point")):
        sp = sub.add_parser(name, help=hlp)
        common(sp, None)
        sp.add_argument("--sites", type=ints, required=True, help="noise sites, comma list")
        sp.add_argument("--sigmas", type=floats, required=True, help="noise stds, comma list")
        sp.add_argument("--epochs", type=int, default=1)
        sp.add_argument("--data-dir", required=True, help="directory holding mnist/*-idx?-ubyte.gz")
        sp.add_argument("--subset", type=int, default=0, help="first N training images (0 = all)")
        sp.add_argument("--test-subset", type=int, default=0, help="first N test images (0 = all)")
        sp.add_argument("--eval-batch", type=int, default=1000, help="walk-inference evaluation batch")
        sp.add_argument("--loader", choices=("tensor", "dataloader"), default="tensor")
        sp.add_argument("--workers", type=int, default=0)
    a = p.parse_args(argv)
    if a.threads < 1:
        p.error(f"--threads {a.threads} invalid (must be >= 1)")
    if a.cmd.endswith("-throughput") and (a.steps < 1 or a.runs < 1 or a.warmup < 0 or min(a.batch) < 1):
        p.error("--steps, --runs, --batch must be >= 1 and --warmup >= 0")
    if a.cmd.startswith("walk-") and a.epochs < 1:
        p.error(f"--epochs {a.epochs} invalid (must be >= 1)")
    return a


def main(argv):
    a = parse_args(argv)
    torch.set_num_threads(a.threads)
    print_env(a.threads)
    {"train-throughput": cmd_train_throughput, "eval-throughput": cmd_eval_throughput,
     "normal-throughput": cmd_normal_throughput,
     "walk-point": cmd_walk_point, "walk-sweep": cmd_walk_sweep, "walk-inference": cmd_walk_inference}[a.cmd](a)


if __name__ == "__main__":
    main(sys.argv[1:])
