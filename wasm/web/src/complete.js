// Completions in the template editor: directives, the API Gateway variables and their members.

import { autocompletion, snippetCompletion } from "@codemirror/autocomplete";

const fn = (label, detail, info, snippet) => snippetCompletion(snippet, { label, detail, info, type: "function" });
const prop = (label, detail, info) => ({ label, detail, info, type: "property" });

const MEMBERS = {
  input: [
    prop("body", "String", "The raw request payload"),
    fn("json", "(path)", "A JSONPath result as JSON text", "json('$#{}')"),
    fn("path", "(path)", "A JSONPath result as an object you can walk", "path('$#{}')"),
    fn("params", "(name?)", "A parameter from path, querystring or header; without a name, all of them", "params('#{name}')"),
  ],
  util: [
    fn("escapeJavaScript", "(string)", "Escapes for a JavaScript string (also ' → \\' : not JSON-safe)", "escapeJavaScript(#{})"),
    fn("parseJson", "(string)", "Parses JSON text into an object", "parseJson(#{})"),
    fn("urlEncode", "(string)", "application/x-www-form-urlencoded encoding", "urlEncode(#{})"),
    fn("urlDecode", "(string)", "Decodes application/x-www-form-urlencoded text", "urlDecode(#{})"),
    fn("base64Encode", "(string)", "Base64 of the UTF-8 bytes", "base64Encode(#{})"),
    fn("base64Decode", "(string)", "Decodes Base64 into a string", "base64Decode(#{})"),
  ],
  context: [
    "accountId",
    "apiId",
    "authorizer",
    "awsEndpointRequestId",
    "domainName",
    "domainPrefix",
    "error",
    "extendedRequestId",
    "httpMethod",
    "identity",
    "path",
    "protocol",
    "requestId",
    "requestOverride",
    "requestTime",
    "requestTimeEpoch",
    "resourceId",
    "resourcePath",
    "responseOverride",
    "stage",
  ].map((name) => prop(name, "$context", null)),
  "context.identity": ["sourceIp", "userAgent", "user", "userArn", "caller", "accountId", "apiKey", "cognitoIdentityId"].map(
    (name) => prop(name, "$context.identity", null),
  ),
  "context.responseOverride": [prop("status", "number", "The method response's status code"), prop("header", "map", "Response headers")],
  "context.requestOverride": [prop("header", "map", "Integration request headers"), prop("querystring", "map", "Query string"), prop("path", "map", "Path parameters")],
};

const ROOTS = [
  prop("input", "$input", "The request: body, json(), path(), params()"),
  prop("util", "$util", "escapeJavaScript, parseJson, urlEncode, base64…"),
  prop("context", "$context", "Request context and overrides"),
  prop("stageVariables", "$stageVariables", "The stage's variables"),
];

const DIRECTIVES = [
  ["set", "#set($name = value)", "#set($#{name} = #{value})"],
  ["if", "#if(condition) … #end", "#if(#{condition})\n#{}\n#end"],
  ["elseif", "#elseif(condition)", "#elseif(#{condition})"],
  ["else", "#else", "#else"],
  ["end", "#end", "#end"],
  ["foreach", "#foreach($item in $list) … #end", "#foreach($#{item} in #{$list})\n#{}\n#end"],
  ["break", "#break", "#break"],
  ["stop", "#stop", "#stop"],
  ["macro", "#macro(name $arg) … #end", "#macro(#{name})\n#{}\n#end"],
  ["define", "#define($block) … #end", "#define($#{block})\n#{}\n#end"],
].map(([name, detail, snippet]) => snippetCompletion(snippet, { label: `#${name}`, detail, type: "keyword" }));

function vtlCompletions(context) {
  const member = context.matchBefore(/\$!?\{?([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\.(\w*)$/);
  if (member) {
    const m = /\$!?\{?([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\.(\w*)$/.exec(member.text);
    const options = MEMBERS[m[1]];
    if (!options) return null;
    return { from: member.to - m[2].length, options, validFor: /^\w*$/ };
  }
  const root = context.matchBefore(/\$!?\{?\w*$/);
  if (root && (root.text.length > 1 || context.explicit)) {
    const word = /\w*$/.exec(root.text)[0];
    return { from: root.to - word.length, options: ROOTS, validFor: /^\w*$/ };
  }
  const directive = context.matchBefore(/#\w*$/);
  if (directive && (directive.text.length > 1 || context.explicit)) {
    return { from: directive.from, options: DIRECTIVES, validFor: /^#\w*$/ };
  }
  return null;
}

/** The completion extension for the template editor. */
export const vtlCompletion = autocompletion({ override: [vtlCompletions], icons: false });
