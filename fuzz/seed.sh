#!/bin/sh
# Seeds fuzz/corpus/render with the conformance templates (and their request bodies, after
# the \001 separator the target splits on).
set -e
cd "$(dirname "$0")"
mkdir -p corpus/render
python3 - <<'PY'
import glob, json, hashlib
for path in glob.glob("../conformance/cases/*/*.json"):
    for case in json.load(open(path)).get("cases", []):
        text = case.get("template", "")
        body = (case.get("request") or {}).get("body")
        if body:
            text += "\x01" + body
        name = hashlib.sha1(text.encode()).hexdigest()
        open(f"corpus/render/{name}", "w").write(text)
PY
