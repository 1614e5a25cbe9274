#!/usr/bin/env python3
"""Regenerate the expected results of the conformance cases from the reference oracle.

    python3 conformance/tools/regen.py                  # every case file under conformance/cases/
    python3 conformance/tools/regen.py FILE.json ...    # only these files
    python3 conformance/tools/regen.py --check          # run the oracle, report differences, write nothing

For each case file whose "profile" is "velocity", all its cases are written to a temporary JSONL file
and rendered by one oracle process (`render --engine velocity --batch`, a fresh Velocity engine per case).
Each case then gets exactly one of:

    "expected": "<rendered output>"
    "expected_error": "<Velocity's error message>", "error_kind": "parse" | "render"

and the stale fields are removed. Other keys of a case (id, template, vars, apigw, note, ...) are kept.
Files of any other profile are skipped.

The oracle names each template "case-<n>-<id>", and Velocity puts that name into its messages
("... at case-3-foo[line 1, column 5]"). Since <n> depends on the position in the batch, the name is
replaced by "<template>" so that the stored messages do not change when cases move.

The oracle directory is $VTL_ORACLE, by default the directory `shared/oracle` next to the repository
(../shared/oracle relative to the repository root). Standard library only; the script is idempotent.
"""
import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASES_DIR = os.path.join(REPO, "conformance", "cases")
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RESULT_KEYS = ("expected", "expected_error", "error_kind")
# Keys passed to the oracle (everything else in a case is ours).
ORACLE_KEYS = ("template", "vars", "apigw")
# Order of keys when a case is written back.
KEY_ORDER = ("id", "note", "template", "vars", "apigw")


def oracle_dir():
    d = os.environ.get("VTL_ORACLE")
    if not d:
        d = os.path.join(os.path.dirname(REPO), "shared", "oracle")
    return os.path.abspath(d)


def case_files(args):
    if args:
        return [os.path.abspath(a) for a in args]
    out = []
    for root, _dirs, files in os.walk(CASES_DIR):
        out += [os.path.join(root, f) for f in files if f.endswith(".json")]
    return sorted(out)


def error_kind(msg):
    """'parse' for parser/lexer failures, 'render' for anything raised while merging."""
    head = msg.split(":", 1)[0]
    if head in ("ParseErrorException", "ParseException", "TemplateParseException", "TokenMgrError"):
        return "parse"
    if "Lexical error" in msg:
        return "parse"
    return "render"


def normalize_error(msg, seq, case_id):
    msg = msg.replace("case-%d-%s" % (seq, case_id), "<template>")
    return msg


def oracle_batch(cases, oracle, timeout=None, env=None):
    """Renders `cases` (dicts with id, template, vars, apigw) with one Velocity oracle process.

    Returns the result objects in order. Raises subprocess.TimeoutExpired when the process runs
    longer than `timeout` seconds (the whole process group is killed) and RuntimeError when the
    oracle fails or returns the wrong number of results."""
    render = os.path.join(oracle, "render")
    if not os.path.exists(render):
        sys.exit("oracle not found: %s (set VTL_ORACLE to the oracle directory)" % render)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as tmp:
        for c in cases:
            tmp.write(json.dumps({k: c[k] for k in ("id",) + ORACLE_KEYS if k in c}, ensure_ascii=False) + "\n")
        path = tmp.name
    try:
        p = subprocess.Popen([sys.executable, render, "--engine", "velocity", "--batch", path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            raise
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise RuntimeError("oracle failed with exit code %d: %s" % (p.returncode, err.decode("utf-8", "replace")))
    results = [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]
    if len(results) != len(cases):
        raise RuntimeError("oracle returned %d results for %d cases" % (len(results), len(cases)))
    return results


def run_oracle(cases, oracle):
    try:
        return oracle_batch(cases, oracle)
    except RuntimeError as e:
        sys.exit(str(e))


def ordered(case):
    out = {k: case[k] for k in KEY_ORDER if k in case}
    for k, v in case.items():
        if k not in out and k not in RESULT_KEYS:
            out[k] = v
    for k in RESULT_KEYS:
        if k in case:
            out[k] = case[k]
    return out


def dump(doc):
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", help="case files (default: every *.json under conformance/cases)")
    ap.add_argument("--check", action="store_true", help="report differences only; do not write")
    a = ap.parse_args()
    oracle = oracle_dir()

    seen_ids = {}
    problems = []
    totals = {"cases": 0, "outputs": 0, "parse": 0, "render": 0, "changed": 0}
    for path in case_files(a.files):
        rel = os.path.relpath(path, REPO)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        doc = json.loads(text)
        if doc.get("profile") != "velocity":
            print("%-48s skipped (profile %r)" % (rel, doc.get("profile")))
            continue
        cases = doc.get("cases", [])
        for c in cases:
            cid = c.get("id")
            if not isinstance(cid, str) or not ID_RE.match(cid):
                problems.append("%s: bad id %r" % (rel, cid))
            elif cid in seen_ids:
                problems.append("%s: duplicate id %r (also in %s)" % (rel, cid, seen_ids[cid]))
            else:
                seen_ids[cid] = rel
            if "template" not in c:
                problems.append("%s: case %r has no template" % (rel, cid))
        if not cases:
            print("%-48s no cases" % rel)
            continue
        results = run_oracle(cases, oracle)
        counts = {"outputs": 0, "parse": 0, "render": 0, "changed": 0}
        new_cases = []
        for seq, (c, r) in enumerate(zip(cases, results)):
            if r.get("id") != c.get("id"):
                sys.exit("%s: oracle result %r does not match case %r" % (rel, r.get("id"), c.get("id")))
            n = {k: v for k, v in c.items() if k not in RESULT_KEYS}
            if r.get("error") is not None:
                msg = normalize_error(r["error"], seq, c["id"])
                n["expected_error"] = msg
                n["error_kind"] = error_kind(msg)
                counts[n["error_kind"]] += 1
            else:
                n["expected"] = r["output"]
                counts["outputs"] += 1
            n = ordered(n)
            if {k: c.get(k) for k in RESULT_KEYS} != {k: n.get(k) for k in RESULT_KEYS}:
                counts["changed"] += 1
                if a.check:
                    print("  changed: %s" % c.get("id"))
            new_cases.append(n)
        doc["cases"] = new_cases
        new_text = dump(doc)
        if not a.check and new_text != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new_text)
        print("%-48s %4d cases: %4d outputs, %3d parse errors, %3d render errors, %3d changed"
              % (rel, len(cases), counts["outputs"], counts["parse"], counts["render"], counts["changed"]))
        totals["cases"] += len(cases)
        for k in counts:
            totals[k] += counts[k]
    print("%-48s %4d cases: %4d outputs, %3d parse errors, %3d render errors, %3d changed"
          % ("TOTAL", totals["cases"], totals["outputs"], totals["parse"], totals["render"], totals["changed"]))
    for p in problems:
        print("problem: " + p, file=sys.stderr)
    if problems:
        return 1
    if a.check and totals["changed"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
