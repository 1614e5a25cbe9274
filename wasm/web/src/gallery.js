// The example gallery. Each example is a full playground state; SOAP examples are added at build
// time from the repository's examples/soap/ folder when it exists (see build.mjs).

import repoExamples from "virtual:repo-examples";

const json = (value) => JSON.stringify(value, null, 2);

const CONTEXT = json({
  stage: "prod",
  requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
  httpMethod: "POST",
  resourcePath: "/orders/{id}",
  identity: { sourceIp: "203.0.113.42", userAgent: "curl/8.5.0" },
  authorizer: { principalId: "user|a1b2c3" },
});

const ORDER_BODY = json({
  customer: { id: "C-000123", name: "Ada Lovelace \"Countess\"", email: "ada@example.com" },
  items: [
    { sku: "SKU-1", name: "Espresso beans 1kg", quantity: 2, priceCents: 2450 },
    { sku: "SKU-7", name: "Grinder", quantity: 1, priceCents: 12999 },
  ],
  coupon: "SPRING10",
  note: "Leave at the door",
});

const base = {
  body: "",
  contentType: "application/json",
  params: json({ path: {}, querystring: {}, header: {} }),
  context: CONTEXT,
  stageVariables: json({}),
  vars: json({}),
  expected: "",
  profile: "aws",
  extensions: false,
  outputFormat: "auto",
};

export const EXAMPLES = [
  {
    id: "request-mapping",
    title: "Request mapping",
    description: "Reshape a JSON order for the backend: paths, params, loops, escaping, defaults.",
    tags: ["$input", "#foreach", "$util"],
    state: {
      ...base,
      template: `## Integration request: turn the client's order into the backend's shape.
#set($order = $input.path('$'))
{
  "orderId": "$input.params('id')",
  "customer": {
    "id": "$order.customer.id",
    "name": "$util.escapeJavaScript($order.customer.name).replaceAll("\\\\'", "'")"
  },
  "lines": [
#foreach($item in $order.items)
    {
      "sku": "$item.sku",
      "quantity": $item.quantity,
      "totalCents": #set($t = $item.quantity * $item.priceCents)$t
    }#if($foreach.hasNext),#end

#end
  ],
## An absent value is "" on API Gateway, and #if("") is true: compare with "" instead.
  "coupon": #if("$!order.coupon" != "")"$order.coupon"#{else}null#end,
  "channel": "$input.params('X-Channel')",
  "requestId": "$context.requestId",
  "environment": "$stageVariables.env"
}
`,
      body: ORDER_BODY,
      params: json({ path: { id: "ORD-42" }, querystring: {}, header: { "X-Channel": "web" } }),
      stageVariables: json({ env: "production" }),
    },
  },
  {
    id: "response-mapping",
    title: "Response mapping",
    description: "Flatten a DynamoDB Query response into a clean JSON list for the client.",
    tags: ["$input.path", "size()", "#if"],
    state: {
      ...base,
      template: `## Integration response: DynamoDB Query → the API's shape.
#set($items = $input.path('$.Items'))
{
  "count": $items.size(),
  "pets": [
#foreach($pet in $items)
    {
      "id": "$pet.id.S",
      "name": "$util.escapeJavaScript($pet.name.S)",
      "type": "$pet.type.S",
      "priceUsd": $pet.price.N#if($pet.tags),
      "tags": [#foreach($t in $pet.tags.SS)"$t"#if($foreach.hasNext), #end#end]#end

    }#if($foreach.hasNext),#end
#end
  ]#if($input.path('$.LastEvaluatedKey')),
  "next": "$util.base64Encode($input.json('$.LastEvaluatedKey'))"#end

}
`,
      body: json({
        Count: 2,
        Items: [
          { id: { S: "1" }, name: { S: "Rex" }, type: { S: "dog" }, price: { N: "249.99" }, tags: { SS: ["good", "boy"] } },
          { id: { S: "2" }, name: { S: "Tom \"the cat\"" }, type: { S: "cat" }, price: { N: "124.5" } },
        ],
        LastEvaluatedKey: { id: { S: "2" } },
        ScannedCount: 2,
      }),
    },
  },
  {
    id: "passthrough",
    title: "Method request passthrough",
    description: "Forward body, every parameter, stage variables and context, like the console's generated template.",
    tags: ["$input.params()", "keySet()", "$context"],
    state: {
      ...base,
      template: `## Pass the whole method request through to the integration.
#set($all = $input.params())
{
  "body-json": $input.json('$'),
  "params": {
#foreach($where in $all.keySet())
#set($group = $all.get($where))
    "$where": {
#foreach($name in $group.keySet())
      "$name": "$util.escapeJavaScript($group.get($name))"#if($foreach.hasNext),#end
#end
    }#if($foreach.hasNext),#end
#end
  },
  "stage-variables": {
#foreach($key in $stageVariables.keySet())
    "$key": "$util.escapeJavaScript($stageVariables.get($key))"#if($foreach.hasNext),#end
#end
  },
  "context": {
    "http-method": "$context.httpMethod",
    "stage": "$context.stage",
    "source-ip": "$context.identity.sourceIp",
    "user-agent": "$context.identity.userAgent",
    "request-id": "$context.requestId",
    "resource-path": "$context.resourcePath",
    "principal-id": "$context.authorizer.principalId"
  }
}
`,
      body: json({ petType: "dog", limit: 3 }),
      params: json({
        path: { id: "42" },
        querystring: { expand: "owner", q: "café & bar" },
        header: { Accept: "application/json", "Content-Type": "application/json", "X-Trace": "abc" },
      }),
      stageVariables: json({ backend: "pets.internal.example.com", logLevel: "INFO" }),
    },
  },
  {
    id: "overrides",
    title: "Status, headers and overrides",
    description: "Set the response status and headers, and rewrite the integration request with $context overrides.",
    tags: ["responseOverride", "requestOverride"],
    state: {
      ...base,
      template: `## Integration response: map a backend "not found" to a real 404.
#set($body = $input.path('$'))
#if($body.errorType == "NotFound")
#set($context.responseOverride.status = 404)
#set($context.responseOverride.header.Cache-Control = "no-store")
{"message": "No pet with id $util.escapeJavaScript($input.params('id')).replaceAll("\\\\'", "'")"}
#else
#set($context.responseOverride.header.ETag = "v$body.version")
#set($context.requestOverride.header.X-Debug = "$context.requestId")
$input.json('$')
#end
`,
      body: json({ errorType: "NotFound", errorMessage: "pet 7 does not exist" }),
      params: json({ path: { id: "7" }, querystring: {}, header: {} }),
    },
  },
  {
    id: "util-tricks",
    title: "$util tricks",
    description: "escapeJavaScript and its single-quote trap, parseJson, base64, URL encoding, Java string methods.",
    tags: ["$util", "parseJson", "String"],
    state: {
      ...base,
      template: `#set($raw = $input.path('$.payload'))
## parseJson turns a JSON string inside the body into objects you can walk.
#set($payload = $util.parseJson($raw))
{
  "user": "$payload.user",
  "roles": $payload.roles.size(),
  ## escapeJavaScript escapes ' as \\' which is NOT valid JSON: undo it.
  "quote": "$util.escapeJavaScript($input.path('$.quote')).replaceAll("\\\\'", "'")",
  "b64": "$util.base64Encode($payload.user)",
  "back": "$util.base64Decode('aGVsbG8=')",
  "url": "https://example.com/search?q=$util.urlEncode($input.path('$.search'))",
  "upper": "$payload.user.toUpperCase()",
  "first3": "$payload.user.substring(0, 3)",
  "domain": "$input.path('$.email').split('@')[1]",
  "hasAdmin": $payload.roles.contains("admin"),
  "default": "#if("$!{payload.nickname}" == "")anonymous#{else}$payload.nickname#end"
}
`,
      body: json({
        payload: "{\"user\":\"grace\",\"roles\":[\"admin\",\"dev\"]}",
        quote: "It's \"quoted\"",
        search: "café & crème",
        email: "grace@example.org",
      }),
    },
  },
  {
    id: "json-to-soap",
    title: "JSON → SOAP envelope",
    description: "Build a SOAP 1.1 request for a legacy backend with plain VTL, escaping XML by hand.",
    tags: ["XML", "SOAP", "#foreach"],
    state: {
      ...base,
      template: `#set($o = $input.path('$.order'))
<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ord="urn:example:orders">
  <soapenv:Header>
    <ord:RequestId>$context.requestId</ord:RequestId>
  </soapenv:Header>
  <soapenv:Body>
    <ord:SubmitOrder>
      <ord:OrderId>$o.id</ord:OrderId>
      <ord:Customer>$o.customer.replace("&", "&amp;").replace("<", "&lt;")</ord:Customer>
#set($total = 0)
      <ord:Lines>
#foreach($line in $o.lines)
#set($total = $total + $line.qty * $line.unitPriceCents)
        <ord:Line n="$foreach.count" sku="$line.sku" qty="$line.qty"/>
#end
      </ord:Lines>
      <ord:TotalCents>$total</ord:TotalCents>
    </ord:SubmitOrder>
  </soapenv:Body>
</soapenv:Envelope>
`,
      body: json({
        order: {
          id: "A-1001",
          customer: "Smith & <Sons>",
          lines: [
            { sku: "X1", qty: 2, unitPriceCents: 1500 },
            { sku: "Y9", qty: 1, unitPriceCents: 9900 },
          ],
        },
      }),
    },
  },
  {
    id: "form-urlencoded",
    title: "Form POST → JSON",
    description: "Parse an application/x-www-form-urlencoded body into JSON with split and urlDecode.",
    tags: ["urlDecode", "split"],
    state: {
      ...base,
      template: `## A form body arrives as text: split it into fields.
{
#foreach($pair in $input.body.split('&'))
#set($kv = $pair.split('='))
  "$util.urlDecode($kv[0])": "$util.escapeJavaScript($util.urlDecode($kv[1]))"#if($foreach.hasNext),#end
#end
}
`,
      body: "name=Ada+Lovelace&email=ada%40example.com&message=Hello%2C+world%21",
      contentType: "application/x-www-form-urlencoded",
    },
  },
  {
    id: "velocity-macros",
    title: "Velocity: macros and #define",
    description: "Stock Apache Velocity 1.7 features (profile: Velocity), with template variables instead of a request.",
    tags: ["#macro", "#define", "Velocity"],
    state: {
      ...base,
      profile: "velocity",
      template: `#macro(row $label $value)| #if($value)$label: $value#{else}$label: (none)#end |
#end
#define($greeting)Hello, $user.name!#end
$greeting
#foreach($k in $user.keySet())
#row($k $user.get($k))
#end
Undefined stays visible in Velocity: $missing
`,
      body: "",
      vars: json({ user: { name: "Ada", role: "admin", team: null } }),
    },
  },
  ...repoExamples.map((e) => ({ ...e, state: { ...base, ...e.state } })),
];

/** The example shown on a first visit. */
export const DEFAULT_EXAMPLE = EXAMPLES[0];
