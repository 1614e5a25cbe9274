#!/usr/bin/env python3
"""Differential fuzzing of whole templates: vtl against Apache Velocity 1.7 (or the AWS model).

    python3 conformance/tools/fuzz_templates.py --seed 1 --cases 2000
    python3 conformance/tools/fuzz_templates.py --profile aws --seed 1 --cases 500
    python3 conformance/tools/fuzz_templates.py --seed 7 --cases 2000 --report R.json --export F.json

Random templates come from a weighted grammar of VTL 1.7 (text with stray `$`, `#` and braces,
every reference form, escapes, every directive, literals, arithmetic, Java String/List/Map/Number
methods, comments, unparsed blocks, whitespace around directives, and deliberately broken syntax)
with random variables. Both engines render every case in batch mode: the reference through the
oracle (`render --engine velocity --batch`, a fresh engine per case; the aws profile through the AWS
model, see aws_model.py), vtl through the conformance crate's `render_batch` binary (built with
cargo when missing). A case agrees when both print the same text, or when both fail with the same
kind of error (parse or render, as the conformance runner compares them).

Every divergence is shrunk: delta debugging removes tokens, then single characters, then unused
variables, keeping a candidate only when both engines still disagree in the same way. Shrunk
divergences are grouped by a signature (the kind of difference and the shape of the shrunk
template: variable names replaced by the type of their value, words by `w`, digits by `0`) and
printed as a summary, largest cluster first. `--report` writes every cluster with its examples as
JSON; `--export` writes one minimal case per cluster as a case file whose expected results come
from the reference (ids `fuzz-<signature hash>`; copy the cases you keep into the corpus).

The same seed gives the same templates. Standard library only; needs Java and the oracle
($VTL_ORACLE, default `shared/oracle` next to the repository) and cargo (or --vtl-bin).
"""
import argparse
import hashlib
import json
import os
import random
import re
import select
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import aws_model  # noqa: E402
import regen  # noqa: E402

# ---------------------------------------------------------------------------------------------
# Random variables
# ---------------------------------------------------------------------------------------------

STRINGS = ["abc", "Hello World", "", " ", "a,b,,c", "x\"y", "it's", "é", "naïve café", "日本",
           "$x", "#if", "\\", "AbC", "123", "-4", "1.5", "a.b", "true", "null", "{a}", "😀",
           "line\nbreak", "  pad  ", "a$b#c"]
NAMES = ["s", "t", "n", "i", "big", "neg", "f", "b", "list", "ls", "m", "nested", "e", "z", "ml",
         "em", "el"]
UNDEFINED = ["u", "x", "h", "foo", "nope"]
MAP_KEYS = ["a", "b", "c", "size", "empty", "class", "x-y", "A"]


def rand_string(r):
    return r.choice(STRINGS)


def rand_scalar(r):
    k = r.random()
    if k < 0.35:
        return rand_string(r)
    if k < 0.6:
        return r.choice([0, 1, 2, 3, -1, 7, 10, 42, 100])
    if k < 0.7:
        return r.choice([2147483647, 2147483648, -2147483649, 9223372036854775807, 12345678901234567890])
    if k < 0.8:
        return r.choice([0.5, 1.5, -2.25, 1e20, 3.0, 0.1])
    if k < 0.9:
        return r.choice([True, False])
    return None


def rand_value(r, depth=0):
    k = r.random()
    if depth < 2 and k < 0.15:
        return [rand_value(r, depth + 1) for _ in range(r.randint(0, 4))]
    if depth < 2 and k < 0.25:
        return {r.choice(MAP_KEYS): rand_value(r, depth + 1) for _ in range(r.randint(0, 3))}
    return rand_scalar(r)


def rand_vars(r):
    v = {
        "s": rand_string(r),
        "t": r.choice(["abc", "a-b-c", "x", "Hello"]),
        "n": r.choice([0, 1, 2, 3, 5, -1]),
        "i": r.choice([0, 1, 2]),
        "big": r.choice([2147483648, 2147483647, 9223372036854775807, 12345678901234567890, -2147483649]),
        "neg": r.choice([-1, -3, -100]),
        "f": r.choice([1.5, 0.25, -3.0, 2.0, 1e10]),
        "b": r.choice([True, False]),
        "list": [rand_scalar(r) for _ in range(r.randint(0, 4))],
        "ls": r.choice([["x", "y", "z"], ["a"], ["b", "a", "c", "a"]]),
        "m": {k: rand_scalar(r) for k in r.sample(MAP_KEYS, r.randint(0, 4))},
        "nested": {"a": {"b": [{"c": rand_scalar(r)}, rand_value(r, 1)]}, "l": [[1, 2], {"k": "v"}]},
        "e": "",
        "z": None,
        "ml": [{"a": 1, "b": "x"}, {"a": 2}],
        "em": {},
        "el": [],
    }
    # Drop a few so that some names are undefined in some cases.
    for name in r.sample(NAMES, r.randint(0, 3)):
        v.pop(name, None)
    return v


# ---------------------------------------------------------------------------------------------
# The template grammar
# ---------------------------------------------------------------------------------------------

def pick(r, table):
    """table: list of (weight, thing)."""
    total = sum(w for w, _ in table)
    x = r.random() * total
    for w, t in table:
        x -= w
        if x < 0:
            return t
    return table[-1][1]


STRING_METHODS = [
    ("length", 0), ("toUpperCase", 0), ("toLowerCase", 0), ("trim", 0), ("isEmpty", 0),
    ("substring", 1), ("substring", 2), ("charAt", 1), ("indexOf", 1), ("lastIndexOf", 1),
    ("contains", 1), ("startsWith", 1), ("endsWith", 1), ("equals", 1), ("equalsIgnoreCase", 1),
    ("concat", 1), ("replace", 2), ("replaceAll", 2), ("replaceFirst", 2), ("matches", 1),
    ("split", 1), ("compareTo", 1), ("toString", 0), ("hashCode", 0), ("chars", 0),
    ("toCharArray", 0), ("getBytes", 0), ("intern", 0), ("codePointAt", 1), ("format", 2),
]
LIST_METHODS = [
    ("size", 0), ("get", 1), ("add", 1), ("add", 2), ("remove", 1), ("contains", 1),
    ("isEmpty", 0), ("indexOf", 1), ("set", 2), ("clear", 0), ("addAll", 1), ("subList", 2),
    ("iterator", 0), ("toString", 0), ("equals", 1), ("containsAll", 1), ("lastIndexOf", 1),
]
MAP_METHODS = [
    ("get", 1), ("put", 2), ("keySet", 0), ("values", 0), ("entrySet", 0), ("containsKey", 1),
    ("containsValue", 1), ("size", 0), ("remove", 1), ("isEmpty", 0), ("getOrDefault", 2),
    ("putAll", 1), ("putIfAbsent", 2), ("clear", 0),
]
OTHER_METHODS = [
    ("intValue", 0), ("doubleValue", 0), ("longValue", 0), ("floatValue", 0), ("compareTo", 1),
    ("charValue", 0), ("getClass", 0), ("getKey", 0), ("getValue", 0), ("hasNext", 0),
    ("next", 0), ("booleanValue", 0), ("first", 0), ("foo", 0), ("getA", 0), ("isB", 0),
]
PROPERTIES = ["a", "b", "c", "size", "empty", "class", "length", "bytes", "key", "value", "A",
              "index", "count", "hasNext", "first", "last", "parent", "topmost", "x-y", "name"]
FOREACH_PROPS = ["index", "count", "hasNext", "first", "last", "parent", "topmost", "foo"]


class Gen:
    def __init__(self, r, profile):
        self.r = r
        self.profile = profile
        self.macros = []

    # ---- names and literals
    def name(self):
        r = self.r
        if r.random() < 0.85:
            return r.choice(NAMES)
        return r.choice(UNDEFINED)

    def int_lit(self):
        return str(self.r.choice([0, 1, 2, 3, -1, 5, 10, 2147483647, 2147483648, 99999999999, -7]))

    def str_lit(self, depth):
        r = self.r
        q = '"' if r.random() < 0.7 else "'"
        parts = []
        for _ in range(r.randint(0, 3)):
            k = r.random()
            if k < 0.35:
                parts.append(r.choice(["a", "x y", "é", "1", ",", "-", ".", "ab", "日", "%s", "\\n"]))
            elif k < 0.6 and q == '"' and depth < 3:
                parts.append(self.reference(depth + 1, in_string=True))
            elif k < 0.7:
                parts.append(q + q)
            elif k < 0.8:
                parts.append(r.choice(["#", "##", "$", "#if(true)y#end", "\\$x", "#*c*#", "\\u00e9"]))
            elif k < 0.9 and q == '"' and depth < 3:
                parts.append(self.directive(depth + 2))
            else:
                parts.append("z")
        return q + "".join(parts) + q

    def literal(self, depth):
        r = self.r
        return pick(r, [
            (4, lambda: self.int_lit()),
            (2, lambda: r.choice(["1.5", "0.0", "-2.5", "1e3", "3.", ".5", "1E-2"])),
            (5, lambda: self.str_lit(depth)),
            (2, lambda: r.choice(["true", "false"])),
            (2, lambda: "[" + ", ".join(self.expr(depth + 1) for _ in range(r.randint(0, 3))) + "]"),
            (1, lambda: "[%s..%s]" % (r.choice(["0", "1", "3", "-2", "$n", "$i"]),
                                      r.choice(["0", "2", "4", "-1", "$n", "$s"]))),
            (2, lambda: "{" + ", ".join("%s: %s" % (self.str_lit(depth + 1) if r.random() < 0.8 else self.int_lit(),
                                                    self.expr(depth + 1))
                                        for _ in range(r.randint(0, 2))) + "}"),
        ])()

    # ---- references
    def args(self, n, depth):
        r = self.r
        out = []
        for _ in range(n):
            if r.random() < 0.5:
                out.append(r.choice(['"a"', "'b'", "0", "1", "2", "-1", "$i", "$n", "'.'", '"[a-z]"',
                                     "'$1'", '","', "$big", "''", "$s", "'x'", "3", "$z"]))
            else:
                out.append(self.expr(depth + 1))
        sep = self.r.choice([", ", ",", " , "])
        return sep.join(out)

    def method(self, depth):
        r = self.r
        name, n = r.choice(pick(r, [(4, STRING_METHODS), (3, LIST_METHODS), (3, MAP_METHODS),
                                    (1, OTHER_METHODS)]))
        if r.random() < 0.05:
            n += r.choice([-1, 1]) if n else 1
        return "%s(%s)" % (name, self.args(max(n, 0), depth))

    def parts(self, depth):
        r = self.r
        out = []
        for _ in range(pick(r, [(4, 0), (4, 1), (2, 2), (1, 3)])):
            out.append(pick(r, [
                (4, lambda: "." + self.method(depth)),
                (3, lambda: "." + r.choice(PROPERTIES)),
                (2, lambda: "[" + r.choice(["0", "1", "-1", "2", "$i", "$n", "'a'", '"b"', "$big",
                                            "2147483648", "$s", "$z", "$u", " 0 "]) + "]"),
            ])())
        return "".join(out)

    def reference(self, depth, in_string=False):
        r = self.r
        root = self.name() if r.random() < 0.92 else r.choice(["foreach", "velocityCount", "bodyContent"])
        body = root + (self.parts(depth) if depth < 4 else "")
        form = pick(r, [(10, "$%s"), (3, "$!%s"), (3, "${%s}"), (2, "$!{%s}"), (1, "\\$%s"),
                        (1, "\\\\$%s"), (1, "\\$!{%s}")])
        if form.startswith("$" + "{") or form.startswith("$!{") or form.startswith("\\$!{"):
            # Braces end the reference: the parts go inside.
            return form % body
        return form % body

    # ---- expressions
    def expr(self, depth=0):
        r = self.r
        if depth > 3:
            return r.choice([self.int_lit(), '"s"', "$" + self.name(), "true"])
        return pick(r, [
            (6, lambda: self.literal(depth)),
            (6, lambda: "$" + self.name() + (self.parts(depth) if r.random() < 0.5 else "")),
            (1, lambda: "$!" + self.name()),
            (1, lambda: "${" + self.name() + "}"),
            (3, lambda: "%s %s %s" % (self.expr(depth + 1), r.choice(["+", "-", "*", "/", "%"]),
                                      self.expr(depth + 1))),
            (3, lambda: "%s %s %s" % (self.expr(depth + 1),
                                      r.choice(["==", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt"]),
                                      self.expr(depth + 1))),
            (2, lambda: "%s %s %s" % (self.expr(depth + 1), r.choice(["&&", "||", "and", "or"]),
                                      self.expr(depth + 1))),
            (1, lambda: r.choice(["!", "! ", "not "]) + self.expr(depth + 1)),
            (1, lambda: "(" + self.expr(depth + 1) + ")"),
            (1, lambda: "-" + self.expr(depth + 1)),
        ])()

    # ---- directives and text
    def ws(self):
        return pick(self.r, [(6, ""), (2, " "), (2, "\n"), (1, "  "), (1, "\n  "), (1, " \t\n")])

    def body(self, depth):
        n = self.r.randint(0, 3)
        return "".join(self.piece(depth + 1) for _ in range(n))

    def directive(self, depth):
        r = self.r
        if depth > 3:
            return r.choice(["#stop", "#break", "#set($d = 1)", "#end"])
        end = r.choice(["#end"] * 8 + ["#{end}", "#end "])
        w = self.ws

        def d_set():
            target = "$" + self.name() + r.choice(["", "", "", ".a", ".b", "[0]", "['k']", ".foo.bar"])
            return "%s#set(%s%s=%s%s)%s" % (w(), target, r.choice(["", " "]), r.choice(["", " "]),
                                            self.expr(depth + 1), w())

        def d_if():
            s = "#if(%s)%s" % (self.expr(depth + 1), self.body(depth))
            for _ in range(pick(r, [(5, 0), (2, 1), (1, 2)])):
                s += "%s#elseif(%s)%s" % (w(), self.expr(depth + 1), self.body(depth))
            if r.random() < 0.4:
                s += w() + r.choice(["#else", "#{else}"]) + self.body(depth)
            return s + w() + end

        def d_foreach():
            it = pick(r, [(3, "$" + self.name()), (2, "[1..3]"), (1, "$m.keySet()"), (1, "$m.values()"),
                          (1, "$m.entrySet()"), (1, "$ls"), (1, "[1, 'a', $z]"), (1, "$s.split(',')"),
                          (1, "$m"), (1, "$nested.a.b"), (1, "$ml")])
            var = r.choice(["i", "x", "k", "s"])
            inner = self.body(depth)
            extra = pick(r, [(4, ""), (1, "$foreach.%s" % r.choice(FOREACH_PROPS)),
                             (1, "#break"), (1, "#if($foreach.hasNext),#end"),
                             (1, "$velocityCount"), (1, "$%s.remove(0)" % self.name()),
                             (1, "$list.clear()"), (1, "$foreach"), (1, "#break($foreach)"),
                             (1, "#break($foreach.parent)"), (1, "$foreach.parent.index")])
            return "#foreach(%s$%s in %s%s)%s%s%s%s" % (r.choice(["", " "]), var, it, r.choice(["", " "]),
                                                        inner, extra, w(), end)

        def d_macro():
            name = r.choice(["m", "mac", "b", "show"])
            params = " ".join("$" + p for p in r.sample(["a", "b", "c"], r.randint(0, 2)))
            self.macros.append(name)
            body = self.body(depth) + r.choice(["", "$a", "[$!a]", "$b", "${b}", "$!bodyContent",
                                                "$bodyContent", "#break"])
            return "#macro(%s%s%s)%s%s" % (name, " " if params else "", params, body, end)

        def d_call():
            name = r.choice(self.macros or ["m", "nomacro"])
            args = " ".join(self.expr(depth + 1) for _ in range(r.randint(0, 2)))
            if r.random() < 0.3:
                return "#@%s(%s)%s%s" % (name, args, self.body(depth), end)
            return "#%s(%s)" % (name, args)

        return pick(r, [
            (8, d_set),
            (8, d_if),
            (6, d_foreach),
            (3, d_macro),
            (3, d_call),
            (2, lambda: "#define($%s)%s%s" % (r.choice(["d", "s", "x"]), self.body(depth), end)),
            (2, lambda: "#evaluate(%s)" % pick(r, [(3, lambda: self.str_lit(depth + 1)),
                                                  (1, lambda: "$" + self.name()),
                                                  (1, lambda: r.choice(['"#stop"', '"0##"', "'#set($q = 1)$q'",
                                                                        '"$s"', "'#end'"]))])()),
            (2, lambda: r.choice(["#stop", "#{stop}", "#stop()", "#break", "#break($foreach)",
                                  "#break($" + self.name() + ")", "#break()"])),
            (1, lambda: "#%s(%s)" % (r.choice(["include", "parse"]), r.choice(['"x.vm"', "$s", "$z", ""]))),
            (1, lambda: "#literal()%s%s" % (r.choice(["$a #if", "x", ""]), end)),
        ])()

    def text(self):
        r = self.r
        return pick(r, [
            (6, lambda: r.choice(["a", "text", "Hello, ", " ", "\n", "x y", "{", "}", "(", ")", ".",
                                  "!", "=", ",", "é", "[", "]", "'", '"', "1", "\t", "-", "日本"])),
            (3, lambda: r.choice(["$", "$ ", "$$", "#", "# ", "##", "$.", "$!", "$!!", "$(",
                                  "$1", "#1", "#$", "$#", "\\", "\\\\", "\\#", "$-", "${", "$!{",
                                  "${}", "#{", "#{}", "#@", "#@()", "#(", "$[", "$![", "#%", "$%"])),
        ])()

    def piece(self, depth=0):
        r = self.r
        return pick(r, [
            (8, self.text),
            (8, lambda: self.reference(depth)),
            (7, lambda: self.directive(depth)),
            (2, lambda: r.choice(["## c\n", "##c", "#* c *#", "#** doc *#", "#*\n*#", "##", "#***#",
                                  "#**#", "#* $a #if *#"])),
            (1, lambda: r.choice(["#[[ $a #if ]]#", "#[[]]#", "#[[#end]]#"])),
            (2, lambda: r.choice(["\\#if(true)", "\\#end", "\\$a", "\\\\$a", "\\#set($a = 1)", "\\\\#end",
                                  "\\#foo", "\\${a}", "\\$!a", "\\\\\\$s"])),
            (1, lambda: r.choice(["#if(", "#end", "#else", "#foreach($i)", "#set($a)", "$a.b(",
                                  "#set($a = )", "#if()", "#foreach($i in)", "#macro()", "#{if", "#elseif(1)",
                                  "#set(1 = 2)", "$a[", "${a", "$a.b(1", "#define()", "#evaluate()",
                                  "#foreach", "#macro", "#set", "#if", "#{foreach}"])),
            (1, self.ws),
        ])()

    def template(self):
        r = self.r
        n = pick(r, [(3, 1), (4, 2), (4, 3), (3, 4), (2, 6), (1, 9)])
        t = "".join(self.piece() for _ in range(n))
        # Mutations: cut, duplicate or insert a special character.
        k = r.random()
        if t and k < 0.08:
            t = t[:r.randint(0, len(t))]
        elif t and k < 0.14:
            i = r.randint(0, len(t))
            t = t[:i] + r.choice(["$", "#", "\\", "(", ")", "{", "}", "\"", "'", "!", ".", "[", "]", "*"]) + t[i:]
        elif t and k < 0.18:
            i = r.randint(0, len(t) - 1)
            t = t[:i] + t[i + 1:]
        return t


# ---------------------------------------------------------------------------------------------
# The aws profile: requests and $input/$util/$context templates
# ---------------------------------------------------------------------------------------------

AWS_BODIES = [
    '{"a": 1, "b": "x", "c": [1, 2, 3], "d": {"e": true, "f": null}, "s": "Seán \\"q\\" /p"}',
    '[]', '[1, 2]', '{}', '', ' ', '\n', 'not json', '<a>1</a>', '"str"', '42', 'null', 'true',
    '{"items": [{"n": 1, "t": "a"}, {"n": 2, "t": "b"}], "empty": [], "z": null}',
    '{"j": [], "k": {}, "x": 1.50, "big": 12345678901234567890, "e": 1e3}',
    '{"a": {"b": {"c": "deep"}}, "list": ["x", "y"]}', '{"a": 1, "a": 2}', '{"k": "v"',
]
AWS_PATHS = ["$", "$.a", "$.b", "$.c", "$.c[0]", "$.c[-1]", "$.c[*]", "$.*", "$.d", "$.d.e", "$.nope",
             "$..n", "$.items[*].n", "$.items[0]", "$.items[?(@.n > 1)]", "$.c[0:2]", "$.j.*", "$.j[0]",
             "$.k", "$['a']", "$.a.b.c", "$.list", "$[0]", "$[*]", "$..*", "$.", "", "a", "$[", "$.x",
             "$.big", "$.e", "$.s", "$.empty", "$.z"]


def rand_request(r):
    one = lambda d: dict([r.choice(list(d.items()))]) if d and r.random() < 0.8 else {}  # noqa: E731
    return {
        "body": r.choice(AWS_BODIES),
        "params": {"path": one({"id": "p-1", "dup": "path"}),
                   "querystring": one({"q": "a b", "dup": "query", "n": "2"}),
                   "header": one({"Accept": "application/json", "X-T": "t", "dup": "header"})},
        "context": {"requestId": "req-1", "stage": "prod", "httpMethod": "POST"},
        "stage_variables": r.choice([{}, {"env": "prod"}, {"n": "1"}]),
    }


class AwsGen(Gen):
    def aws_ref(self, depth):
        r = self.r
        p = r.choice(AWS_PATHS)
        q = r.choice(["'", '"'])
        core = pick(r, [
            (5, lambda: "input.path(%s%s%s)" % (q, p, q)),
            (5, lambda: "input.json(%s%s%s)" % (q, p, q)),
            (2, lambda: "input.body"),
            (2, lambda: "input.params(%s)" % r.choice(["'id'", "'q'", "'X-T'", "'dup'", "'nope'", "", "$z"])),
            (1, lambda: "input.params()" + r.choice(["", ".path", ".header", ".querystring.q", ".keySet()"])),
            (3, lambda: "util.%s(%s)" % (r.choice(["escapeJavaScript", "urlEncode", "urlDecode", "base64Encode",
                                                    "base64Decode", "parseJson", "toJson"]),
                                          r.choice(["$input.body", "'a/b\\'c'", '"é &x=1"', "$z", "1",
                                                    "$input.json('$')", "'{\"a\":[1]}'", "''"]))),
            (2, lambda: "context.%s" % r.choice(["requestId", "stage", "httpMethod", "nope", "identity",
                                                  "identity.sourceIp", "requestOverride.header.X"])),
            (1, lambda: "stageVariables.%s" % r.choice(["env", "n", "nope"])),
        ])()
        tail = self.parts(depth) if r.random() < 0.4 else ""
        form = pick(r, [(6, "$%s"), (2, "$!%s"), (1, "${%s}"), (1, "$!{%s}")])
        return form % (core + tail)

    def piece(self, depth=0):
        r = self.r
        if r.random() < 0.45:
            if r.random() < 0.25:
                return "#set($v = %s)$v%s" % (self.aws_ref(depth)[1:], self.parts(depth))
            if r.random() < 0.2:
                return "#foreach($e in %s)[$e]#end" % self.aws_ref(depth)
            if r.random() < 0.2:
                return "#if(%s)y#{else}n#end" % r.choice([self.aws_ref(depth), self.aws_ref(depth) + " == ''",
                                                          self.aws_ref(depth) + ".length() != 0"])
            return self.aws_ref(depth)
        return super().piece(depth)


# ---------------------------------------------------------------------------------------------
# Running both engines
# ---------------------------------------------------------------------------------------------

ORACLE_TIMEOUT = 120
ORACLE_ENV = dict(os.environ, JAVA_TOOL_OPTIONS="-Xmx768m")


class Runner:
    def __init__(self, profile, vtl_bin, stats):
        self.profile = profile
        self.vtl_bin = vtl_bin
        self.stats = stats
        self.oracle = regen.oracle_dir()
        self.shared = self.fresh = None

    def close(self):
        for o in (self.shared, self.fresh):
            if o is not None:
                o.close()

    def run(self, cases):
        """cases: list of dicts (id, template, vars | request). Returns [(ref, vtl)]."""
        if not cases:
            return []
        t0 = time.time()
        ref = self.reference(cases)
        t1 = time.time()
        mine = self.vtl(cases)
        t2 = time.time()
        self.stats["ref_seconds"] += t1 - t0
        self.stats["vtl_seconds"] += t2 - t1
        self.stats["renders"] += len(cases)
        return list(zip(ref, mine))

    # -- reference
    def reference(self, cases):
        if self.profile == "aws":
            return self.aws_reference(cases)
        return self.velocity_reference(cases)

    def velocity_reference(self, cases):
        # Macros defined in one template leak into later ones on a shared engine, so templates
        # that may define one get a fresh engine each; the rest share one engine (no macro is
        # ever defined in it).
        if self.shared is None:
            self.shared = PersistentOracle(self.oracle, shared=True)
            self.fresh = PersistentOracle(self.oracle, shared=False)
        leaky = ["macro" in c["template"] or "macro" in json.dumps(c.get("vars")) for c in cases]
        out = [None] * len(cases)
        for engine, want in ((self.shared, False), (self.fresh, True)):
            idx = [i for i, lk in enumerate(leaky) if lk == want]
            for i, res in zip(idx, engine.run([cases[i] for i in idx])):
                out[i] = res
        return out

    def aws_reference(self, cases):
        model_cases = []
        for c in cases:
            req = c["request"]
            model_cases.append({"id": c["id"], "template": c["template"], "body": req.get("body"),
                                "params": req.get("params"), "context": req.get("context"),
                                "stage_variables": req.get("stageVariables")})
        out = []
        for start in range(0, len(model_cases), aws_model.BATCH):
            out += self._aws(model_cases[start:start + aws_model.BATCH])
        return out

    def _aws(self, cases):
        stdin = "".join(json.dumps(aws_model.normalize(c), ensure_ascii=True) + "\n" for c in cases)
        p = subprocess.Popen(["java", "-Xmx768m", "-Xss16m", "-cp", aws_model.classpath(), "Harness"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        try:
            so, _ = p.communicate(stdin.encode(), timeout=ORACLE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            if len(cases) == 1:
                return [{"timeout": True}]
            half = len(cases) // 2
            return self._aws(cases[:half]) + self._aws(cases[half:])
        results = [json.loads(line) for line in so.decode("utf-8").splitlines() if line.strip()]
        if len(results) != len(cases):
            if len(cases) == 1:
                return [{"error": "model crashed", "class": "render"}]
            half = len(cases) // 2
            return self._aws(cases[:half]) + self._aws(cases[half:])
        out = []
        for res in results:
            if res.get("error") is not None:
                out.append({"error": res["error"], "class": aws_model.error_kind(res["error"])})
            else:
                out.append({"output": res.get("output")})
        return out

    # -- vtl
    def vtl(self, cases):
        profile = "aws" if self.profile == "aws" else "velocity"
        lines = []
        for c in cases:
            d = {"id": c["id"], "template": c["template"]}
            if "vars" in c:
                d["vars"] = c["vars"]
            if "request" in c:
                d["request"] = c["request"]
            lines.append(json.dumps(d, ensure_ascii=False))
        return self._vtl(lines, profile)

    def _vtl(self, lines, profile):
        p = subprocess.Popen([self.vtl_bin, profile], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            so, _ = p.communicate(("\n".join(lines) + "\n").encode("utf-8"), timeout=ORACLE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            so = None
        results = [json.loads(line) for line in (so or b"").decode("utf-8").splitlines() if line.strip()]
        if so is None or len(results) != len(lines):
            if len(lines) == 1:
                why = "timeout" if so is None else "process died (exit %s)" % p.returncode
                return [{"error": "vtl " + why, "class": "crash", "panic": True}]
            half = len(lines) // 2
            return self._vtl(lines[:half], profile) + self._vtl(lines[half:], profile)
        out = []
        for res in results:
            if res.get("panic"):
                out.append({"error": res.get("error"), "class": "panic", "panic": True})
            elif res.get("error") is not None:
                out.append({"error": res["error"], "class": res.get("class"), "kind": res.get("error_kind")})
            else:
                out.append({"output": res.get("output")})
        return out


class PersistentOracle:
    """One long-running Velocity oracle process (`VelocityOracle --batch` on stdin, one result
    line per case), so that shrinking rounds do not start a JVM each. A case that runs longer
    than ORACLE_TIMEOUT seconds is recorded as a timeout and the process is restarted."""

    def __init__(self, oracle, shared):
        if oracle not in sys.path:
            sys.path.insert(0, oracle)
        import engines  # the oracle's own launcher
        self.cmd = engines.command("velocity") + (["--shared-engine"] if shared else []) + ["--batch"]
        self.proc = None
        self.seq = 0
        self.buf = b""

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, start_new_session=True, env=ORACLE_ENV)
        self.seq = 0
        self.buf = b""

    def close(self):
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
            self.proc = None

    def readline(self, timeout):
        deadline = time.time() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def run(self, cases):
        out = []
        pending = list(cases)
        while pending:
            if self.proc is None:
                self.start()
            first_seq = self.seq
            lines = [json.dumps({k: c[k] for k in ("id", "template", "vars") if k in c}, ensure_ascii=False)
                     for c in pending]
            proc = self.proc

            def feed(lines=lines, proc=proc):
                try:
                    for line in lines:
                        proc.stdin.write((line + "\n").encode("utf-8"))
                    proc.stdin.flush()
                except OSError:
                    pass

            writer = threading.Thread(target=feed, daemon=True)
            writer.start()
            done = 0
            for c in pending:
                line = self.readline(ORACLE_TIMEOUT)
                if line is None:
                    break
                res = json.loads(line)
                seq = first_seq + done
                done += 1
                if res.get("error") is not None:
                    msg = regen.normalize_error(res["error"], seq, c["id"])
                    out.append({"error": msg, "class": regen.error_kind(msg)})
                else:
                    out.append({"output": res.get("output")})
            self.seq = first_seq + done
            if done == len(pending):
                writer.join()
                break
            # The case at `done` hung (or ended the process): record it and restart.
            self.close()
            writer.join()
            out.append({"timeout": True})
            pending = pending[done + 1:]
        return out


# Objects without a value-based toString() print an identity hash code, random per JVM run; vtl
# prints a deterministic pseudo-address (COMPATIBILITY.md). Both are compared with the digits
# masked.
HASH_RE = re.compile(r"@[0-9a-f]{1,8}")


def difference(ref, mine):
    """None when the engines agree, otherwise the kind of difference."""
    if ref.get("timeout"):
        return None
    if mine.get("panic"):
        return "panic"
    if "output" in ref and "output" in mine:
        a, b = ref["output"], mine["output"]
        if a == b or HASH_RE.sub("@H", a) == HASH_RE.sub("@H", b):
            return None
        if a.strip() == b.strip():
            return "output-whitespace"
        return "output"
    if "output" in ref:
        return "vtl-%s-error" % mine.get("class")
    if "output" in mine:
        return "ref-%s-error" % ref.get("class")
    if ref.get("class") == mine.get("class"):
        return None
    return "error-%s-vs-vtl-%s" % (ref.get("class"), mine.get("class"))


# ---------------------------------------------------------------------------------------------
# Shrinking
# ---------------------------------------------------------------------------------------------

TOKEN_RE = re.compile(r"""
    \#\{?[a-zA-Z@][a-zA-Z0-9_@]*\}?   # directive name
  | \$!?\{?                           # reference start
  | [a-zA-Z_][a-zA-Z0-9_\-]*          # identifier / word
  | -?\d+(?:\.\d+)?                   # number
  | "(?:[^"]|"")*"                    # string
  | '(?:[^']|'')*'
  | \#\*|\*\#|\#\#|\#\[\[|\]\]\#      # comment and unparsed markers
  | \s+
  | .
""", re.X | re.S)


def tokens(template):
    return TOKEN_RE.findall(template)


def shrinker(case, kind):
    """A coroutine: yields lists of candidate cases, receives the list of booleans (still the
    same kind of divergence) and finally returns the smallest case found."""
    best = dict(case)

    def ddmin(units, make):
        n = 2
        while len(units) >= 1:
            chunk = max(1, (len(units) + n - 1) // n)
            cands = [units[:i] + units[i + chunk:] for i in range(0, len(units), chunk)]
            oks = yield [make(c) for c in cands]
            hit = next((c for c, ok in zip(cands, oks) if ok), None)
            if hit is not None:
                units = hit
                n = max(n - 1, 2)
                continue
            if chunk == 1:
                break
            n = min(n * 2, len(units))
        return units

    def with_template(t):
        c = dict(best)
        c["template"] = t
        return c

    toks = tokens(best["template"])
    toks = yield from ddmin(toks, lambda u: with_template("".join(u)))
    best["template"] = "".join(toks)
    chars = list(best["template"])
    if len(chars) <= 200:
        chars = yield from ddmin(chars, lambda u: with_template("".join(u)))
        best["template"] = "".join(chars)
    # Variables: first drop those whose name does not occur, then try each one.
    if "vars" in best and isinstance(best["vars"], dict):
        keep = {k: v for k, v in best["vars"].items() if re.search(r"\b%s\b" % re.escape(k), best["template"])}
        cand = dict(best, vars=keep)
        oks = yield [cand]
        if oks[0]:
            best = cand
        names = list(best["vars"])
        if names:
            cands = [dict(best, vars={k: v for k, v in best["vars"].items() if k != name}) for name in names]
            oks = yield cands
            for name, ok in zip(names, oks):
                if ok:
                    best["vars"].pop(name, None)
    return best


def shrink_all(divs, runner, max_rounds=80, max_batch=4000):
    """divs: list of (case, kind). Returns the shrunk cases in order."""
    jobs = []
    for case, kind in divs:
        g = shrinker(case, kind)
        jobs.append({"gen": g, "kind": kind, "pending": next(g), "result": case, "done": False})
    seq = 0
    for _ in range(max_rounds):
        active = [j for j in jobs if not j["done"]]
        if not active:
            break
        batch, owners = [], []
        for j in active:
            for c in j["pending"]:
                if len(batch) >= max_batch:
                    break
                seq += 1
                c = dict(c, id="s%d" % seq)
                batch.append(c)
                owners.append(j)
        results = runner.run(batch)
        answers = {id(j): [] for j in active}
        for j, (ref, mine) in zip(owners, results):
            answers[id(j)].append(difference(ref, mine) == j["kind"])
        for j in active:
            got = answers[id(j)]
            got += [False] * (len(j["pending"]) - len(got))
            try:
                j["pending"] = j["gen"].send(got)
            except StopIteration as stop:
                j["result"] = stop.value
                j["done"] = True
    for j in jobs:
        if not j["done"]:
            j["gen"].close()
    return [j["result"] for j in jobs]


# ---------------------------------------------------------------------------------------------
# Signatures and the report
# ---------------------------------------------------------------------------------------------

def value_type(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int" if -2**31 <= v < 2**31 else "long" if -2**63 <= v < 2**63 else "bigint"
    if isinstance(v, float):
        return "double"
    if isinstance(v, str):
        return "str" if v else "emptystr"
    if isinstance(v, list):
        return "list"
    return "map"


def shape(case):
    vars_ = case.get("vars") or {}
    out = []
    prev = ""
    for tok in tokens(case["template"]):
        if re.match(r"[a-zA-Z_]", tok):
            if prev in ("$", "$!", "${", "$!{") :
                out.append("<%s>" % (value_type(vars_[tok]) if tok in vars_ else
                                     tok if tok in ("foreach", "velocityCount", "bodyContent") else "undef"))
            elif prev == "." or prev.startswith("#") or tok in ("in", "true", "false"):
                out.append(tok)
            else:
                out.append("w")
        elif tok[:1] in "\"'" and len(tok) > 1:
            inner = "".join(ch for ch in tok[1:-1] if ch in "$#\\{}")
            out.append(tok[0] + inner + tok[0])
        elif re.match(r"-?\d", tok):
            out.append("0" if abs(float(tok)) < 2**31 else "BIG")
        elif tok.isspace():
            out.append("\\n" if "\n" in tok else " ")
        else:
            out.append(tok)
        if not tok.isspace():
            prev = tok
    s = "".join(out)
    return re.sub(r"(w)+", "w", s)


def aws_known(case, ref, mine):
    """For the aws profile: why a divergence from the AWS model is expected (a documented
    artefact of the model, or a documented choice of vtl; see COMPATIBILITY.md), or None."""
    err = ref.get("error") or ""
    if "cannot be cast to class org.apache.velocity.runtime.parser.node.Node" in err:
        return "model artefact: its null-reference handler breaks Velocity's escaped references"
    if "Harness$" in (ref.get("output") or ""):
        return "model artefact: prints its own Java host objects"
    if mine.get("kind") == "not_allowed":
        return "vtl: #include and #parse are compile errors in the aws profile"
    if "$context" in case["template"] and ("requestOverride=" in (ref.get("output") or "")
                                           or "$context.identity" in case["template"]):
        return "vtl: $context defaults and printing of $context objects"
    return None


def signature(case, kind):
    return "%s | %s" % (kind, shape(case))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--profile", choices=["velocity", "aws"], default="velocity")
    ap.add_argument("--vtl-bin", help="the render_batch binary (default: target/debug/render_batch, built if missing)")
    ap.add_argument("--no-shrink", action="store_true", help="report raw divergences, do not shrink")
    ap.add_argument("--max-shrink", type=int, default=300, help="shrink at most this many divergences")
    ap.add_argument("--report", help="write the clusters with examples as JSON")
    ap.add_argument("--export", help="write one minimal case per cluster (expected from the reference) as a case file")
    ap.add_argument("--show", type=int, default=40, help="clusters to print")
    a = ap.parse_args()

    vtl_bin = a.vtl_bin or os.path.join(REPO, "target", "debug", "render_batch")
    if not a.vtl_bin and not os.path.exists(vtl_bin):
        subprocess.run(["cargo", "build", "-q", "-p", "vtl-conformance", "--bin", "render_batch"], cwd=REPO, check=True)

    stats = {"ref_seconds": 0.0, "vtl_seconds": 0.0, "renders": 0}
    runner = Runner(a.profile, vtl_bin, stats)
    r = random.Random(a.seed)
    cases = []
    for k in range(a.cases):
        g = (AwsGen if a.profile == "aws" else Gen)(r, a.profile)
        c = {"id": "c%d" % k, "template": g.template()}
        if a.profile == "aws":
            req = rand_request(r)
            c["request"] = {"body": req["body"], "params": req["params"], "context": req["context"],
                            "stageVariables": req["stage_variables"]}
        else:
            c["vars"] = rand_vars(r)
        cases.append(c)

    t0 = time.time()
    results = runner.run(cases)
    timeouts = sum(1 for ref, _ in results if ref.get("timeout"))
    divs = []
    for c, (ref, mine) in zip(cases, results):
        kind = difference(ref, mine)
        if kind:
            divs.append((c, kind, ref, mine))
    compared = len(cases) - timeouts
    agree = compared - len(divs)
    panics = sum(1 for d in divs if d[1] == "panic")
    print("profile %s, seed %d: %d cases, %d compared (%d reference timeouts), %d agree (%.2f%%), "
          "%d diverge, %d panics" % (a.profile, a.seed, len(cases), compared, timeouts, agree,
                                     100.0 * agree / max(compared, 1), len(divs), panics))

    to_shrink = divs[:a.max_shrink] if not a.no_shrink else []
    shrunk = shrink_all([(c, k) for c, k, _, _ in to_shrink], runner) if to_shrink else []
    final = shrunk + [c for c, _, _, _ in divs[len(shrunk):]]
    rerun = runner.run([dict(c, id="f%d" % i) for i, c in enumerate(final)])

    clusters = {}
    for (orig, kind, _, _), small, (ref, mine) in zip(divs, final, rerun):
        sig = signature(small, kind)
        known = aws_known(small, ref, mine) if a.profile == "aws" else None
        cl = clusters.setdefault(sig, {"signature": sig, "kind": kind, "count": 0, "examples": [],
                                       "known": known})
        cl["count"] += 1
        if len(cl["examples"]) < 3:
            cl["examples"].append({"template": small["template"], "vars": small.get("vars"),
                                   "request": small.get("request"), "original": orig["template"],
                                   "reference": ref, "vtl": mine})
    ordered = sorted(clusters.values(), key=lambda c: (-c["count"], c["signature"]))
    print("%d clusters (%.0f s; %d renders: reference %.0f s, vtl %.0f s)"
          % (len(ordered), time.time() - t0, stats["renders"], stats["ref_seconds"], stats["vtl_seconds"]))
    known = sum(cl["count"] for cl in ordered if cl.get("known"))
    if a.profile == "aws":
        print("%d divergences are documented model artefacts or vtl choices; agreement without them: "
              "%.2f%%" % (known, 100.0 * (agree + known) / max(compared, 1)))
    for cl in ordered[:a.show]:
        ex = cl["examples"][0]
        print("\n%4d  %s" % (cl["count"], cl["signature"]))
        if cl.get("known"):
            print("      known:    %s" % cl["known"])
        print("      template: %s" % json.dumps(ex["template"], ensure_ascii=False))
        if ex.get("vars"):
            print("      vars:     %s" % json.dumps(ex["vars"], ensure_ascii=False))
        if ex.get("request"):
            print("      body:     %s" % json.dumps(ex["request"].get("body"), ensure_ascii=False))
        print("      reference: %s" % json.dumps(ex["reference"], ensure_ascii=False)[:300])
        print("      vtl:       %s" % json.dumps(ex["vtl"], ensure_ascii=False)[:300])

    summary = {"profile": a.profile, "seed": a.seed, "cases": len(cases), "compared": compared,
               "timeouts": timeouts, "agree": agree, "diverge": len(divs), "panics": panics,
               "agree_percent": round(100.0 * agree / max(compared, 1), 3), "known": known,
               "clusters": ordered}
    if a.report:
        with open(a.report, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=1, ensure_ascii=False)
            f.write("\n")
    if a.export:
        export(ordered, a.profile, a.export)
    runner.close()
    return 0


def export(clusters, profile, path):
    """One minimal case per cluster, with the reference's result as its expectation."""
    out = []
    for cl in clusters:
        ex = cl["examples"][0]
        cid = "fuzz-" + hashlib.sha256(cl["signature"].encode()).hexdigest()[:10]
        c = {"id": cid, "note": cl["signature"], "template": ex["template"]}
        if profile == "aws":
            c["request"] = ex["request"]
        elif ex.get("vars"):
            c["vars"] = ex["vars"]
        ref = ex["reference"]
        if "output" in ref:
            c["expected"] = ref["output"]
        elif not ref.get("timeout"):
            c["expected_error"] = ref["error"]
            c["error_kind"] = ref["class"]
        out.append(c)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"profile": profile, "cases": out}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("\nwrote %d cases to %s" % (len(out), path))


if __name__ == "__main__":
    sys.exit(main())
