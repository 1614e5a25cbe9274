#!/usr/bin/env python3
"""Converts API Gateway cases in the vectors shape (aws-vectors.jsonl: id, template, body, params,
context, stage_variables, expected) into an aws-profile case file.

    python3 conformance/tools/import_vectors.py [VECTORS.jsonl [OUT.json [ID_PREFIX]]]

Used for the shared real-AWS vectors (the default) and for the cases that aws_model.py generated
with the AWS model (conformance/cases/aws-src/*.jsonl).

The vectors' outputs were recorded on real AWS (or taken from the AWS docs or emulators; see each
case's `confidence`). They are copied, never edited: every vector becomes one case whose request is
built from the vector's body, content type, parameters, context and stage variables. Writes
conformance/cases/aws/vectors.json by default. Default input: the repository's sibling
`shared/spec/`.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(ROOT), "shared", "spec", "aws-vectors.jsonl")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, "conformance", "cases", "aws", "vectors.json")
    prefix = sys.argv[3] if len(sys.argv) > 3 else "vector-"
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
            case = {"id": prefix + v["id"], "template": v["template"], "request": request}
            if "vars" in v:
                case["vars"] = v["vars"]
            for key in ("expected", "expected_error", "error_kind", "match",
                        "expected_context_after", "kind", "source", "confidence", "notes"):
                if key in v:
                    case[key] = v[key]
            cases.append(case)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"profile": "aws", "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(cases)} vectors -> {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
