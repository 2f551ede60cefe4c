#!/usr/bin/env python3
"""Check executed Jupyter notebooks for the Walking Noise CI.

Usage: python3 scripts/check_notebook.py EXECUTED.ipynb [MORE.ipynb ...]

A notebook passes when
  * no code cell has an output of type "error",
  * every non-empty code cell was executed (has an execution count),
  * at least one output is an inline SVG: "image/svg+xml", or "text/html" containing "<svg",
  * no output text contains "FINDING FAILED" or "SANITY FAILED",
  * every figure made by the library (an SVG carrying <metadata id="walkingnoise-layout">) renders
    cleanly: rendered to PNG with rsvg-convert (Debian librsvg2-bin) it has no ink in the outer band of
    EDGE_BAND points (something clipped), and its recorded text boxes neither overlap, nor reach that band,
    nor cross into a data area from outside (the rules of the Go package noisylib/plots, Layout.Problems),
  * no stream output holds progress-bar residue (carriage returns, ANSI cursor codes, bar glyphs),
  * stderr carries only warnings and errors (lines naming a warning, error, panic or failure),
  * no cell prints the same walk summary line ("... points planned ...") twice,
  * no Markdown cell uses TeX math ($...$), which the offline HTML page does not typeset,
  * the HTML export next to the notebook (same name, .html), if present, loads nothing from a URL or
    file path (no <script src>, <link href>, MathJax), so it reads offline.
The "FINDING OK: ...", "FINDING FAILED: ...", "NOT REPRODUCED ..." and "NOT TESTED: ..." lines found in outputs
are printed, so that a claim a run could not decide shows in the summary next to the ones it did.
Exit status: 0 when every notebook passes, 1 otherwise, 2 on usage errors.
Only the standard library and rsvg-convert are used.
"""

import html
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

DIGEST_LINES = 30


def as_text(value):
    """Returns a notebook multiline string (str or list of str) as one str."""
    if isinstance(value, list):
        return "".join(value)
    return value if isinstance(value, str) else ""


def output_texts(out):
    """Yields the printed text of an output: stream text (stdout, stderr) and text/plain data.

    text/html is not scanned: GoNB's error reports embed the cell's source code there.
    """
    if out.get("output_type") == "stream":
        yield as_text(out.get("text"))
    data = out.get("data") or {}
    if "text/plain" in data:
        yield as_text(data["text/plain"])


def has_svg(out):
    """Reports whether a display_data/execute_result output holds an inline SVG."""
    data = out.get("data") or {}
    return "image/svg+xml" in data or "<svg" in as_text(data.get("text/html"))


def plain(out):
    """Returns an output as plain text: stream text, else text/plain, else text/html without markup."""
    if out.get("output_type") == "stream":
        return as_text(out.get("text"))
    if out.get("output_type") == "error":
        return "%s: %s" % (out.get("ename", "?"), out.get("evalue", ""))
    data = out.get("data") or {}
    if "text/plain" in data:
        return as_text(data["text/plain"])
    page = as_text(data.get("text/html"))
    if "<svg" in page:
        return "[inline SVG]"
    page = re.sub(r"(?is)<(style|script)\b.*?</\1>", "", page)
    page = re.sub(r"(?s)<[^>]+>", "", page)
    return html.unescape(page)


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def digest(cell):
    """Returns the last DIGEST_LINES non-blank lines of a cell's outputs, to explain a failure."""
    lines = []
    for out in cell.get("outputs", []):
        lines += [ANSI.sub("", l).rstrip() for l in plain(out).splitlines() if l.strip()]
    return lines[-DIGEST_LINES:]


EDGE_BAND = 2.0  # points; plots.EdgeBand
OVERLAP_SLACK = 0.3  # points; plots.overlapSlack
DPI = 96  # rsvg-convert's default
LAYOUT = re.compile(r'<metadata id="walkingnoise-layout">(.*?)</metadata>', re.S)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def svgs_of(out):
    """Yields the SVG documents shown by an output."""
    data = out.get("data") or {}
    if "image/svg+xml" in data:
        yield as_text(data["image/svg+xml"])
    for m in SVG.finditer(as_text(data.get("text/html"))):
        yield m.group(0)


def project(quad, nx, ny):
    vs = [x * nx + y * ny for x, y in quad]
    return min(vs), max(vs)


def quads_overlap(p, q, slack):
    """Separating-axis test of two convex quadrilaterals, as plots.quadsOverlap."""
    for poly in (p, q):
        for i in range(4):
            (ax, ay), (bx, by) = poly[i], poly[(i + 1) % 4]
            nx, ny = -(by - ay), bx - ax
            n = math.hypot(nx, ny)
            if n == 0:
                continue
            nx, ny = nx / n, ny / n
            pmin, pmax = project(p, nx, ny)
            qmin, qmax = project(q, nx, ny)
            if pmax - slack <= qmin or qmax - slack <= pmin:
                return False
    return True


def layout_problems(lay):
    """The rules of plots.Layout.Problems: text inside the canvas' inner part, no overlaps, no crossing."""
    w, h = lay["width"], lay["height"]
    texts, areas, out = lay.get("texts") or [], lay.get("areas") or [], []
    for t in texts:
        if any(x < EDGE_BAND or x > w - EDGE_BAND or y < EDGE_BAND or y > h - EDGE_BAND for x, y in t["quad"]):
            out.append("text %r reaches within %g pt of the canvas edge" % (t["text"], EDGE_BAND))
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if quads_overlap(a["quad"], b["quad"], OVERLAP_SLACK):
                out.append("texts %r and %r overlap" % (a["text"], b["text"]))
    for t in texts:
        cx = sum(p[0] for p in t["quad"]) / 4
        cy = sum(p[1] for p in t["quad"]) / 4
        for x0, y0, x1, y1 in areas:
            inside = x0 < cx < x1 and y0 < cy < y1
            if not inside and quads_overlap(t["quad"], [[x0, y0], [x1, y0], [x1, y1], [x0, y1]], OVERLAP_SLACK):
                out.append("text %r crosses into a data area" % t["text"])
    return out


def png_pixels(data):
    """Decodes an 8-bit RGBA, non-interlaced PNG (what rsvg-convert writes): (width, height, rows)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            if depth != 8 or ctype != 6 or interlace:
                raise ValueError("PNG is not 8-bit RGBA non-interlaced (depth %d, colour type %d)" % (depth, ctype))
        elif kind == b"IDAT":
            idat += chunk
    raw, stride, rows, prev = zlib.decompress(idat), 4 * w, [], bytes(4 * w)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 2:  # Up: one pass over two byte strings
            line = bytearray((x + b) & 255 for x, b in zip(line, prev))
        elif f in (1, 3, 4):  # Sub, Average, Paeth: each byte depends on the one 4 to its left
            for i in range(stride):
                a = line[i - 4] if i >= 4 else 0
                if f == 1:
                    line[i] = (line[i] + a) & 255
                    continue
                b = prev[i]
                if f == 3:
                    line[i] = (line[i] + ((a + b) >> 1)) & 255
                    continue
                c = prev[i - 4] if i >= 4 else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows


def ink_in_band(svg):
    """Renders svg with rsvg-convert; returns (pixels of ink within the edge band, size)."""
    png = subprocess.run(["rsvg-convert", "--format", "png", "--dpi-x", str(DPI), "--dpi-y", str(DPI)],
                         input=svg.encode("utf-8"), capture_output=True, check=True).stdout
    w, h, rows = png_pixels(png)
    band, n = int(EDGE_BAND * DPI / 72), 0
    for y in range(h):
        xs = range(w) if y < band or y >= h - band else list(range(band)) + list(range(w - band, w))
        for x in xs:
            r, g, b, a = rows[y][4 * x:4 * x + 4]
            # Over white paper: c·α + 255·(1 − α), with straight (not premultiplied) alpha.
            if min(r, g, b) * a / 255 + 255 * (1 - a / 255) < 250:
                n += 1
    return n, (w, h)


def figure_problems(svg):
    """Problems of one library figure, or None when the SVG carries no layout (not made by the library)."""
    m = LAYOUT.search(svg)
    if not m:
        return None
    probs = layout_problems(json.loads(html.unescape(m.group(1))))
    n, (w, h) = ink_in_band(svg)
    if n:
        probs.append("%d pixel(s) of ink within %g pt of the edge of the %d×%d px rendering: something is clipped"
                     % (n, EDGE_BAND, w, h))
    return probs


RESIDUE = re.compile(r"\r|\x1b\[|[█▏▎▍▌▋▊▉]|\|[=>#-]{3,}")
SUMMARY = "points planned"
ALARM = re.compile(r"warn|error|panic|fail|fatal|exception|traceback|^\s|^goroutine ", re.I)
TEX = re.compile(r"(?<![\\$\w{])\$[^$\s{][^$\n]*\$(?!\w)|\\\(|\\\[")
LOADS = re.compile(r"<script[^>]*\bsrc=|<link[^>]*\bhref=|MathJax|<img[^>]*\bsrc=\"(?!data:)", re.I)


def html_problems(path):
    """Checks the HTML export next to the executed notebook, if there is one."""
    page = os.path.splitext(path)[0] + ".html"
    if not os.path.exists(page):
        return []
    with open(page, encoding="utf-8") as f:
        text = f.read()
    return ["%s loads %r from outside the page (not self-contained)" % (os.path.basename(page), m.group(0)[:60])
            for m in LOADS.finditer(text)][:5]


def check(path):
    """Checks one executed notebook; returns (problems, finding lines, details of failing cells)."""
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read notebook: %s" % e], [], []
    problems, findings, details, svgs, figures = [], [], [], 0, 0
    code_cells = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    for i, cell in enumerate(code_cells, 1):
        where = "code cell %d (id %s)" % (i, cell.get("id", "?"))
        if as_text(cell.get("source")).strip() and cell.get("execution_count") is None:
            problems.append("%s was not executed" % where)
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        for out in errors:
            problems.append("%s raised %s: %s" % (where, out.get("ename", "?"), out.get("evalue", "")))
        if errors:
            details.append("last output lines of %s:" % where)
            details += ["  | " + l for l in digest(cell)]
        summaries = {}
        for out in cell.get("outputs", []):
            if has_svg(out):
                svgs += 1
            for k, svg in enumerate(svgs_of(out), 1):
                probs = figure_problems(svg)
                if probs is None:
                    continue
                figures += 1
                for p in probs:
                    problems.append("%s, figure %d: %s" % (where, figures, p))
            if out.get("output_type") == "stream":
                text = as_text(out.get("text"))
                m = RESIDUE.search(text)
                if m:
                    problems.append("%s: progress-bar residue in its %s output (%r)" % (where, out.get("name"), m.group(0)))
                if out.get("name") == "stderr":
                    chatter = [l for l in text.splitlines() if l.strip() and not ALARM.search(l)]
                    if chatter:
                        problems.append("%s writes to stderr what is not a warning or an error: %r" % (where, chatter[0][:80]))
                for line in text.splitlines():
                    if SUMMARY in line:
                        summaries[line.strip()] = summaries.get(line.strip(), 0) + 1
            for text in output_texts(out):
                for line in text.splitlines():
                    if "FINDING FAILED" in line or "SANITY FAILED" in line:
                        findings.append(line.strip())
                        problems.append("%s reports: %s" % (where, line.strip()))
                    elif "FINDING OK" in line or "NOT REPRODUCED" in line or "NOT TESTED:" in line:
                        findings.append(line.strip())
        for line, n in summaries.items():
            if n > 1:
                problems.append("%s prints the summary line %d times: %s" % (where, n, line))
    for i, cell in enumerate(nb.get("cells", []), 1):
        if cell.get("cell_type") == "markdown":
            m = TEX.search(as_text(cell.get("source")))
            if m:
                problems.append("markdown cell %d uses TeX math %r, which the offline HTML does not typeset; write it in Unicode"
                                % (i, m.group(0)))
    problems += html_problems(path)
    if not code_cells:
        problems.append("the notebook has no code cells")
    if svgs == 0:
        problems.append('no inline SVG output (image/svg+xml, or text/html containing "<svg")')
    return problems, findings, details, figures


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if shutil.which("rsvg-convert") is None:
        print("check_notebook: rsvg-convert not found: install librsvg2-bin (bash scripts/setup.sh)", file=sys.stderr)
        return 2
    failed = 0
    for path in argv[1:]:
        problems, findings, details, figures = check(path)
        for line in findings:
            print("%s: %s" % (path, line))
        if problems:
            failed += 1
            for p in problems:
                print("%s: FAIL: %s" % (path, p))
            for d in details:
                print("    " + d)
        else:
            print("%s: OK (%d finding line(s), %d figure(s) rendered cleanly)" % (path, len(findings), figures))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
