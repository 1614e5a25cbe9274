#!/usr/bin/env python3
"""Generates aws-profile cases for $input.params/body, $stageVariables, $context, overrides,
null handling, Java methods on body values, numbers and loops, with outputs from the AWS model.

    python3 conformance/tools/gen_aws_cases.py

The templates and requests are written here; every expected output (and the override maps
after rendering) comes from running the AWS model (see aws_model.py). Writes
conformance/cases/aws/model-request.json. Cases where the model is known to differ from real
AWS (printing nested $context objects, unknown methods) are not generated; see COMPATIBILITY.md.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aws_model  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BODY = json.dumps({
    "id": 42, "name": "Seán O'Brien", "price": 19.5, "qty": 3, "big": 12345678901234567890,
    "ratio": 1e-5, "thousand": 1e3, "flag": True, "none": None, "empty": "", "list": [1, 2, 3],
    "tags": ["a", "b"], "items": [{"sku": "x1", "n": 2}, {"sku": "y2", "n": 5}],
    "nested": {"a": {"b": "deep"}}, "text": "Hello, World", "path": "a/b?c=d&e"})

PARAMS = {"path": {"id": "p-1", "dup": "from-path"},
          "querystring": {"q": "search term", "dup": "from-query", "page": "2"},
          "header": {"Accept": "application/json", "X-Trace": "t-1", "dup": "from-header",
                     "Content-Type": "application/json"}}

CONTEXT = {"requestId": "req-123", "stage": "prod", "path": "/prod/orders/1",
           "resourcePath": "/orders/{id}", "httpMethod": "POST", "requestTimeEpoch": 1747753652000,
           "requestTime": "20/May/2025:15:07:32 +0000", "accountId": "111111111111",
           "apiId": "api1", "identity": {"sourceIp": "192.0.2.1", "userAgent": "curl/8", "apiKey": None},
           "authorizer": {"principalId": "user-1", "num": "1", "claims": {"sub": "abc", "cognito:username": "sean"}},
           "isCanaryRequest": False}

STAGE = {"env": "prod", "backend": "orders.internal", "flag": "true"}

CASES = []


def case(cid, template, body=BODY, params=None, context=None, stage=None):
    CASES.append({"id": cid, "template": template, "body": body,
                  "params": params if params is not None else PARAMS,
                  "context": context if context is not None else CONTEXT,
                  "stage_variables": stage if stage is not None else STAGE})


# ---- $input.params
case("params-path", "$input.params('id')")
case("params-query", "$input.params('q')")
case("params-header", "$input.params('X-Trace')")
case("params-precedence", "$input.params('dup')")
case("params-missing", "[$input.params('nope')]")
case("params-header-case-sensitive", "[$input.params('x-trace')]")
case("params-map-path", "$input.params().path")
case("params-map-query-get", "$input.params().querystring.get('page')")
case("params-map-header-dot", "$input.params().header.Accept")
case("params-map-bracket", "$input.params().header['X-Trace']")
case("params-map-keys", "$input.params().keySet()")
case("params-map-size", "$input.params().header.size()")
# The model reads its input maps into HashMaps, so only single-key maps keep a defined order.
ONE_EACH = {"path": {"id": "p-1"}, "querystring": {"q": "search term"},
            "header": {"X-Trace": "t-1"}}
case("params-foreach-headers",
     "#foreach($h in $input.params().header.keySet())$h=$input.params().header.get($h)#if($foreach.hasNext)&#end#end",
     params=ONE_EACH)
case("params-passthrough-style",
     "#set($allParams = $input.params())\n{\n#foreach($type in $allParams.keySet())\n#set($params = $allParams.get($type))\n\"$type\" : {\n#foreach($paramName in $params.keySet())\n\"$paramName\" : \"$util.escapeJavaScript($params.get($paramName))\"#if($foreach.hasNext),#end\n#end\n}#if($foreach.hasNext),#end\n#end\n}",
     params=ONE_EACH)
case("params-empty", "$input.params()", params={"path": {}, "querystring": {}, "header": {}})
case("params-urlencode", "$util.urlEncode($input.params('q'))")
case("params-in-string", "\"q=$input.params('q')\"")
case("params-length", "$input.params('q').length()")
case("params-is-empty-check", "#if($input.params('nope') == '')none#else some#end")
case("params-quiet", "[$!input.params('nope')]")
case("params-with-var-name", "#set($n = 'page')$input.params($n)")

# ---- $input.body
case("body-raw", "$input.body")
case("body-empty", "[$input.body]", body="")
case("body-whitespace", "[$input.body]", body="  {\"a\" : 1 }  ")
case("body-text", "$input.body", body="plain text body")
case("body-xml", "$input.body", body="<a><b>1</b></a>")
case("body-form", "$input.body", body="a=1&b=two")
case("body-length", "$input.body.length()")
case("body-contains", "$input.body.contains('Sean')|$input.body.contains('Seán')")
case("body-property-on-string", "[$input.body.foo]")
case("body-unicode", "$input.body", body="{\"s\": \"日本語 😀\"}")
case("body-escapejs", "$util.escapeJavaScript($input.body)")
case("body-base64", "$util.base64Encode($input.body)", body="{\"a\":1}")
case("body-json-root", "$input.json('$')")
case("body-json-root-empty", "$input.json('$')", body="")
case("body-path-root-empty", "[$input.path('$')]", body="")
case("body-json-nonjson", "$input.json('$')", body="just text")
case("body-path-nonjson", "[$input.path('$')]", body="just text")
case("body-json-xml", "{\"body\": $input.json('$')}", body="<a><b>1</b></a>")

# ---- $stageVariables
case("stage-dot", "$stageVariables.env")
case("stage-bracket", "$stageVariables['backend']")
case("stage-formal", "${stageVariables['backend']}")
case("stage-missing", "[$stageVariables.nope]")
ONE_STAGE = {"env": "prod"}
case("stage-keys", "$stageVariables.keySet()", stage=ONE_STAGE)
case("stage-get", "$stageVariables.get('env')")
case("stage-print", "$stageVariables", stage=ONE_STAGE)
case("stage-if", "#if($stageVariables.flag == 'true')on#{else}off#end")
case("stage-in-url", "https://$stageVariables.backend/orders/$input.params('id')")
case("stage-empty-map", "[$stageVariables.env]", stage={})
case("stage-foreach", "#foreach($k in $stageVariables.keySet())$k:$stageVariables[$k];#end",
     stage=ONE_STAGE)

# ---- $context values (as given)
for key in ["requestId", "stage", "path", "resourcePath", "httpMethod", "requestTimeEpoch",
            "requestTime", "accountId", "apiId", "isCanaryRequest"]:
    case("context-" + key.lower(), "$context." + key)
case("context-identity-source-ip", "$context.identity.sourceIp")
case("context-identity-user-agent", "$context.identity.userAgent")
case("context-identity-null", "[$context.identity.apiKey]")
case("context-identity-missing", "[$context.identity.vpcId]")
case("context-authorizer-principal", "$context.authorizer.principalId")
case("context-authorizer-num", "$context.authorizer.num")
case("context-authorizer-claim", "$context.authorizer.claims.sub")
case("context-authorizer-claim-colon", "$context.authorizer.claims['cognito:username']")
case("context-missing", "[$context.nope]")
case("context-epoch-arith", "#set($s = $context.requestTimeEpoch / 1000)$s")
case("context-stage-compare", "#if($context.stage == 'prod')P#{else}D#end")
case("context-get-scalar", "$context.get('stage')")
case("context-in-json",
     "{\"requestId\": \"$context.requestId\", \"ip\": \"$context.identity.sourceIp\", \"stage\": \"$context.stage\"}")
case("context-http-method-lower", "$context.httpMethod.toLowerCase()")

# ---- overrides
case("override-status", "#set($context.responseOverride.status = 400)ok")
case("override-status-string", "#set($context.responseOverride.status = '404')ok")
case("override-response-header", "#set($context.responseOverride.header.X-Custom = 'v')ok")
case("override-response-header-bracket", "#set($context.responseOverride.header['X-Bracket'] = 'b')ok")
case("override-request-header", "#set($context.requestOverride.header.X-Amz-Target = 'Svc.Op')ok")
case("override-request-query", "#set($context.requestOverride.querystring.q = 'new')ok")
case("override-request-path", "#set($context.requestOverride.path.id = 'p-9')ok")
case("override-put", "$context.requestOverride.header.put('X-Put', 'p')ok")
case("override-put-returns-previous",
     "#set($context.requestOverride.header.A = 'one')[$context.requestOverride.header.put('A', 'two')]")
case("override-var-key", "#set($k = 'X-Dyn')#set($context.requestOverride.header[$k] = 'd')ok")
case("override-context-bracket",
     "#set($context[\"requestOverride\"].querystring[\"k\"] = 'v')ok")
case("override-custom-key", "#set($context.responseOverride.custom = 'c')$context.responseOverride.custom")
case("override-read-back", "#set($context.requestOverride.path.body = 'x')$context.requestOverride.path.body")
case("override-list-value", "#set($context.requestOverride.header.multi = ['a', 'b'])ok")
case("override-from-body", "#set($context.responseOverride.status = $input.path('$.id'))ok")
case("override-conditional",
     "#if($input.path('$.flag'))#set($context.responseOverride.status = 201)#end done")
case("override-header-from-param",
     "#set($context.requestOverride.header.X-Trace = $input.params('X-Trace'))ok")
case("override-keyset-after", "#set($context.responseOverride.status = 500)$context.responseOverride.keySet()")
case("override-status-print", "#set($context.responseOverride.status = 302)$context.responseOverride.status")

# ---- null and undefined
case("null-undefined-prints-empty", "[$undefined]")
case("null-undefined-property", "[$undefined.foo.bar]")
case("null-undefined-eq-empty", "#if($undefined == '')T#{else}F#end")
case("null-undefined-eq-null", "#if($undefined == $null)T#{else}F#end")
case("null-undefined-is-truthy", "#if($undefined)T#{else}F#end")
case("null-not-undefined", "#if(!$undefined)T#{else}F#end")
case("null-json-null-path", "[$input.path('$.none')]")
case("null-json-null-eq", "#if($input.path('$.none') == '')T#{else}F#end")
case("null-missing-path-length", "[$input.path('$.nope').length()]")
case("null-set-from-undefined", "#set($a = 'keep')#set($a = $undefined)[$a]")
case("null-quiet-same", "[$!undefined]|[${undefined}]|[$!{undefined}]")
case("null-string-idiom", "#if(\"$!undefined\" != '')T#{else}F#end")
case("null-length-idiom", "#if($input.path('$.empty').length() == 0)empty#end")
case("null-method-on-empty", "[$undefined.toUpperCase()]")
case("null-in-arithmetic", "#set($x = $undefined + 1)[$x]")
case("null-concat", "#set($x = \"a${undefined}b\")[$x]")
case("null-list-element", "#foreach($x in [1, $undefined, 3])[$x]#end")
case("null-map-missing-key", "#set($m = {'a': 1})[$m.b]|[$m.get('b')]")

# ---- Java methods on body values
case("method-map-size", "$input.path('$.nested').size()")
case("method-map-keyset", "$input.path('$').keySet()")
case("method-map-get", "$input.path('$.nested').get('a')")
case("method-map-contains-key", "$input.path('$.nested').containsKey('a')")
case("method-map-is-empty", "$input.path('$.nested').isEmpty()")
case("method-map-tostring", "$input.path('$.nested.a')")
case("method-map-tostring-contains", "$input.path('$').toString().contains('deep')")
case("method-list-size", "$input.path('$.list').size()")
case("method-list-get", "$input.path('$.list').get(1)")
case("method-list-index", "$input.path('$.list')[2]")
case("method-list-negative-index", "$input.path('$.list')[-1]")
case("method-list-contains", "$input.path('$.list').contains(2)")
case("method-list-print", "$input.path('$.items')")
case("method-list-is-empty", "$input.path('$.list').isEmpty()")
case("method-string-replace-all", "$input.path('$.text').replaceAll('[aeiou]', '*')")
case("method-string-split", "#foreach($p in $input.path('$.text').split(', '))[$p]#end")
case("method-string-substring", "$input.path('$.text').substring(0, 5)")
case("method-string-index-of", "$input.path('$.text').indexOf('World')")
case("method-string-upper", "$input.path('$.text').toUpperCase()")
case("method-string-trim-length", "$input.path('$.text').trim().length()")
case("method-string-matches", "$input.path('$.text').matches('Hello.*')")
case("method-string-equals", "$input.path('$.text').equals('Hello, World')")
case("method-string-starts-with", "$input.path('$.path').startsWith('a/')")
case("method-string-char-at", "$input.path('$.name').charAt(2)")
case("method-number-to-string", "$input.path('$.id').toString().length()")
case("method-add-to-path-list", "#set($l = $input.path('$.list'))#set($r = $l.add(4))$l")
case("method-put-into-path-map", "#set($m = $input.path('$.nested'))$m.put('z', 1)$m")
case("method-parse-json-map", "#set($o = $util.parseJson('{\"a\": {\"b\": [1, 2]}}'))$o.a.b[1]|$o|$o.a.b")
case("method-parse-json-body", "#set($o = $util.parseJson($input.body))$o.items[1].sku")
case("method-parse-json-string", "#set($o = $util.parseJson($input.json('$.nested')))$o.a.b")

# ---- numbers
case("num-int", "$input.path('$.id')")
case("num-double", "$input.path('$.price')")
case("num-bigint", "$input.path('$.big')")
case("num-small-exponent", "$input.path('$.ratio')")
case("num-exponent", "$input.path('$.thousand')")
case("num-add", "#set($x = $input.path('$.qty') + 1)$x")
case("num-multiply-double", "#set($x = $input.path('$.price') * $input.path('$.qty'))$x")
case("num-divide-int", "#set($x = $input.path('$.id') / 5)$x")
case("num-compare", "#if($input.path('$.price') > 10)big#{else}small#end")
case("num-json", "$input.json('$.price')|$input.json('$.big')|$input.json('$.ratio')")
case("num-string-plus", "#set($x = $input.params('page') + 1)$x")
case("num-foreach-range", "#set($n = $input.path('$.qty'))#foreach($i in [1..$n])$i#end")
case("num-boolean", "$input.path('$.flag')|#if($input.path('$.flag'))yes#end")

# ---- loops over body values
case("loop-items", "#foreach($i in $input.path('$.items'))$i.sku:$i.n#if($foreach.hasNext),#end#end")
case("loop-count-index", "#foreach($t in $input.path('$.tags'))$foreach.count/$foreach.index/$velocityCount #end")
case("loop-map-values", "#foreach($v in $input.path('$.nested.a'))[$v]#end")
case("loop-build-json",
     "[#foreach($i in $input.path('$.items')){\"sku\": \"$i.sku\", \"n\": $i.n}#if($foreach.hasNext),#end#end]")
case("loop-path-index-interpolated",
     "#foreach($i in [0..1])$input.path(\"$.items[$i].sku\")#end")
case("loop-json-each", "#foreach($i in $input.path('$.items'))$input.json(\"$.items[$foreach.index]\")#end")
case("loop-nested", "#foreach($i in $input.path('$.items'))#foreach($t in $input.path('$.tags'))$i.sku$t #end#end")
case("loop-break", "#foreach($i in $input.path('$.list'))#if($i == 2)#break#end$i#end")
case("loop-empty", "#foreach($i in $input.path('$.nope'))x#end.")

# ---- escaping
case("esc-js-name", "$util.escapeJavaScript($input.path('$.name'))")
case("esc-js-json-fix", "$util.escapeJavaScript($input.path('$.name')).replaceAll(\"\\\\'\", \"'\")")
case("esc-js-path", "$util.escapeJavaScript($input.path('$.path'))")
case("esc-url-path", "$util.urlEncode($input.path('$.path'))")
case("esc-url-round-trip", "$util.urlDecode($util.urlEncode($input.path('$.name')))")
case("esc-base64-round-trip", "$util.base64Decode($util.base64Encode($input.path('$.name')))")
case("esc-js-number", "[$util.escapeJavaScript($input.path('$.id'))]")
case("esc-json-string", "$input.json('$.name')")

# ---- templates people write
case("tpl-dynamodb-put",
     "{\n  \"TableName\": \"orders-$stageVariables.env\",\n  \"Item\": {\n    \"id\": {\"S\": \"$input.params('id')\"},\n    \"name\": {\"S\": \"$util.escapeJavaScript($input.path('$.name'))\"},\n    \"qty\": {\"N\": \"$input.path('$.qty')\"}\n  }\n}")
case("tpl-sqs-form",
     "Action=SendMessage&MessageBody=$util.urlEncode($input.body)&MessageAttribute.1.Name=trace&MessageAttribute.1.Value.StringValue=$input.params('X-Trace')")
case("tpl-lambda-custom",
     "{\"body\": $input.json('$'), \"id\": \"$input.params('id')\", \"stage\": \"$context.stage\", \"requestId\": \"$context.requestId\"}")
case("tpl-response-error",
     "#set($root = $input.path('$'))#if($root.flag)#set($context.responseOverride.status = 409){\"error\": \"conflict\"}#else$input.json('$')#end")
case("tpl-whitespace-control",
     "{##\n  \"a\": 1,##\n  \"b\": [#foreach($i in $input.path('$.list'))$i#if($foreach.hasNext),#end#end]##\n}")


def main():
    # The harness's input parser leaks depth per nested object: keep batches small.
    aws_model.BATCH = 8
    results = {r["id"]: r for r in aws_model.run_cases(CASES)}
    out_cases = []
    for c in CASES:
        r = results[c["id"]]
        request = {"body": c["body"], "params": c["params"], "stageVariables": c["stage_variables"],
                   "context": c["context"]}
        oc = {"id": "model-" + c["id"], "template": c["template"], "request": request}
        if r.get("error") is not None:
            oc["expected_error"] = r["error"]
            oc["error_kind"] = aws_model.error_kind(r["error"])
        else:
            oc["expected"] = r["output"]
            after = r.get("context_after") or {}
            oc["expected_context_after"] = {k: v for k, v in after.items() if v}
        oc["source"] = "AWS model (Velocity 1.7 + Jayway JsonPath 2.0 + json-smart 2.2 + commons-lang 2.6)"
        oc["confidence"] = "model"
        out_cases.append(oc)
    out = os.path.join(ROOT, "conformance", "cases", "aws", "model-request.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"profile": "aws", "cases": out_cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(out_cases)} cases -> {os.path.relpath(out, ROOT)}")


if __name__ == "__main__":
    main()
