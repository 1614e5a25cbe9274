#!/usr/bin/env python3
"""Run the AWS model (Velocity 1.7 + Jayway JsonPath 2.0 + json-smart 2.2 + commons-lang 2.6).

The model is the Java harness in `$VTL_ORACLE/awsmodel` (default: the repository's sibling
`../shared/oracle`). It is compiled once with javac into a temporary directory keyed by the
harness source's hash. Stdlib only.

Commands:
  aws_model.py run [CASES.jsonl]        results (one JSON line per case) for stdin or a file
  aws_model.py expect CASES.jsonl [...] (re)write each case's `expected` (or `expected_error`
                                        and `error_kind`) in place from the model's output
  aws_model.py check CASES.jsonl [...]  report cases whose `expected` differs from the model
  aws_model.py t TEMPLATE [BODY]        render one template (BODY default: none) and print
                                        the output (repr) or the error
Case shape (as spec/aws-vectors.jsonl): id, template, body, params{path,querystring,header},
context, stage_variables.
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def oracle_dir() -> Path:
    return Path(os.environ.get("VTL_ORACLE") or (REPO.parent / "shared" / "oracle")).resolve()


def classpath() -> str:
    model = oracle_dir() / "awsmodel"
    src = model / "Harness.java"
    cp = (model / "cp.txt").read_text().strip()
    digest = hashlib.sha256(src.read_bytes() + cp.encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / f"vtl-awsmodel-{digest}"
    if not (out / "Harness.class").exists():
        tmp = Path(tempfile.mkdtemp(prefix="vtl-awsmodel-build-"))
        subprocess.run(["javac", "-nowarn", "-cp", cp, "-d", str(tmp), str(src)],
                       check=True, stderr=subprocess.DEVNULL)
        try:
            tmp.rename(out)
        except OSError:
            pass  # built concurrently by someone else
    return f"{out}:{cp}"


def normalize(case: dict) -> dict:
    """The fields the harness reads, with defaults filled in."""
    return {
        "id": case.get("id", ""),
        "template": case["template"],
        "body": case.get("body"),
        "params": case.get("params") or {"path": {}, "querystring": {}, "header": {}},
        "context": case.get("context") or {},
        "stage_variables": case.get("stage_variables") or {},
    }


# The harness reads its input lines with one shared json-smart 2.2 parser whose depth counter
# leaks one level per non-empty object, so a process fails after ~200 cases: run in batches.
BATCH = 100


def run_cases(cases: list) -> list:
    """Renders each case with the model; returns the result objects in order."""
    results = []
    for start in range(0, len(cases), BATCH):
        results.extend(run_batch(cases[start:start + BATCH]))
    return results


def run_batch(cases: list) -> list:
    if not cases:
        return []
    stdin = "".join(json.dumps(normalize(c), ensure_ascii=True) + "\n" for c in cases)
    proc = subprocess.run(["java", "-cp", classpath(), "Harness"], input=stdin.encode(),
                          stdout=subprocess.PIPE, check=True)
    results = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines() if line.strip()]
    if len(results) != len(cases):
        raise SystemExit(f"model returned {len(results)} results for {len(cases)} cases")
    return results


def read_cases(path: str) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_cases(path: str, cases: list) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for c in cases:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")


def error_kind(error: str) -> str:
    """`parse` for template syntax errors, `render` for exceptions raised while merging."""
    return "parse" if error.startswith(("ParseErrorException", "TokenMgrError", "TemplateInitException")) else "render"


def apply_expected(case: dict, res: dict) -> dict:
    """The case with `expected` (output) or `expected_error` + `error_kind` from a model result."""
    case = {k: v for k, v in case.items() if k not in ("expected", "expected_error", "error_kind")}
    if res.get("error") is None:
        case["expected"] = res["output"]
    else:
        case["expected_error"] = res["error"]
        case["error_kind"] = error_kind(res["error"])
    return case


def main(argv: list) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    cmd, args = argv[0], argv[1:]
    if cmd == "run":
        text = open(args[0], encoding="utf-8").read() if args else sys.stdin.read()
        cases = [json.loads(l) for l in text.splitlines() if l.strip()]
        for r in run_cases(cases):
            r.pop("context_after", None)
            print(json.dumps(r, ensure_ascii=False))
    elif cmd == "expect":
        for path in args:
            cases = read_cases(path)
            ids = [c.get("id") for c in cases]
            dup = {i for i in ids if ids.count(i) > 1}
            if dup:
                raise SystemExit(f"{path}: duplicate ids {sorted(dup)}")
            write_cases(path, [apply_expected(c, r) for c, r in zip(cases, run_cases(cases))])
            print(f"{path}: {len(cases)} cases")
    elif cmd == "check":
        bad = 0
        for path in args:
            cases = read_cases(path)
            for c, r in zip(cases, run_cases(cases)):
                if apply_expected(c, r) != c:
                    bad += 1
                    print(f"{c.get('id')}: expected {c.get('expected')!r}, model {r}")
        return 1 if bad else 0
    elif cmd == "t":
        case = {"id": "t", "template": args[0], "body": args[1] if len(args) > 1 else None}
        r = run_cases([case])[0]
        print(repr(r["output"]) if r["error"] is None else "ERROR " + r["error"])
    else:
        raise SystemExit(f"unknown command {cmd!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
