#!/usr/bin/env python3
"""Converts the shared API Gateway test vectors (aws-vectors.jsonl) into an aws-profile case file.

    python3 conformance/tools/import_vectors.py [VECTORS.jsonl]

The vectors' outputs were recorded on real AWS (or taken from the AWS docs or emulators; see each
case's `confidence`). They are copied, never edited: every vector becomes one case whose request is
built from the vector's body, content type, parameters, context and stage variables. Writes
conformance/cases/aws/vectors.json. Default input: the repository's sibling `shared/spec/`.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(ROOT), "shared", "spec", "aws-vectors.jsonl")
    cases = []
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            request = {
                "body": v.get("body", ""),
                "params": v.get("params", {}),
                "stageVariables": v.get("stage_variables", {}),
                "context": v.get("context", {}),
            }
            if v.get("content_type"):
                request["contentType"] = v["content_type"]
            case = {"id": "vector-" + v["id"], "template": v["template"], "request": request}
            for key in ("expected", "match", "expected_context_after", "kind", "source",
                        "confidence", "notes"):
                if key in v:
                    case[key] = v[key]
            cases.append(case)
    out = os.path.join(ROOT, "conformance", "cases", "aws", "vectors.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"profile": "aws", "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} vectors -> {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
