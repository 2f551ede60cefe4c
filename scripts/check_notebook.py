#!/usr/bin/env python3
"""Check executed Jupyter notebooks for the Walking Noise CI.

Usage: python3 scripts/check_notebook.py EXECUTED.ipynb [MORE.ipynb ...]

A notebook passes when
  * no code cell has an output of type "error",
  * every non-empty code cell was executed (has an execution count),
  * at least one output is an inline SVG: "image/svg+xml", or "text/html" containing "<svg",
  * no output text contains "FINDING FAILED".
The "FINDING OK: ..." and "FINDING FAILED: ..." lines found in outputs are printed.
Exit status: 0 when every notebook passes, 1 otherwise, 2 on usage errors.
Only the standard library is used, so any python3 works.
"""

import html
import json
import re
import sys

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


def check(path):
    """Checks one executed notebook; returns (problems, finding lines, details of failing cells)."""
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
    except (OSError, ValueError) as e:
        return ["cannot read notebook: %s" % e], [], []
    problems, findings, details, svgs = [], [], [], 0
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
        for out in cell.get("outputs", []):
            if has_svg(out):
                svgs += 1
            for text in output_texts(out):
                for line in text.splitlines():
                    if "FINDING FAILED" in line:
                        findings.append(line.strip())
                        problems.append("%s reports: %s" % (where, line.strip()))
                    elif "FINDING OK" in line:
                        findings.append(line.strip())
    if not code_cells:
        problems.append("the notebook has no code cells")
    if svgs == 0:
        problems.append('no inline SVG output (image/svg+xml, or text/html containing "<svg")')
    return problems, findings, details


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    failed = 0
    for path in argv[1:]:
        problems, findings, details = check(path)
        for line in findings:
            print("%s: %s" % (path, line))
        if problems:
            failed += 1
            for p in problems:
                print("%s: FAIL: %s" % (path, p))
            for d in details:
                print("    " + d)
        else:
            print("%s: OK (%d finding line(s))" % (path, len(findings)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
