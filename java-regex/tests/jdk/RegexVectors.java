// Generates test vectors for the java-regex crate and the regex-based String methods.
//
// Usage (JDK 17), from the repository root:
//   python3 java-regex/tests/jdk/gen_regex_cases.py > /tmp/cases.tsv
//   java java-regex/tests/jdk/RegexVectors.java /tmp/cases.tsv > java-regex/tests/jdk/regex_vectors.jsonl
// Each case line is tab-separated: op, pattern, input[, extra]. In fields, <TAB>, <LF>, <CR>
// and <U+XXXX> stand for those characters (backslashes are literal). Lines starting with '#'
// and blank lines are skipped.
// ops: find (all matches with their groups), split (extra = limit), replaceAll and
// replaceFirst (extra = replacement), matches, compile (only reports errors).
// Output: one JSON object per case with "op", "pattern", "input", "extra" and either
// "result" or "error" (Throwable.toString()).
import java.nio.file.*;
import java.util.*;
import java.util.regex.*;

public class RegexVectors {
    public static void main(String[] args) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            String op = f[0], pattern = unescape(f[1]), input = f.length > 2 ? unescape(f[2]) : "";
            String extra = f.length > 3 ? unescape(f[3]) : null;
            out.append("{\"op\":").append(json(op)).append(",\"pattern\":").append(json(pattern))
               .append(",\"input\":").append(json(input)).append(",\"extra\":")
               .append(extra == null ? "null" : json(extra)).append(',');
            try {
                String result = run(op, pattern, input, extra);
                out.append("\"result\":").append(result);
            } catch (Throwable t) {
                out.append("\"error\":").append(json(t.toString()));
            }
            out.append("}\n");
        }
        System.out.print(out);
    }

    static String run(String op, String pattern, String input, String extra) {
        switch (op) {
            case "find": {
                Matcher m = Pattern.compile(pattern).matcher(input);
                StringBuilder sb = new StringBuilder("[");
                boolean first = true;
                while (m.find()) {
                    if (!first) sb.append(',');
                    first = false;
                    sb.append('[');
                    for (int g = 0; g <= m.groupCount(); g++) {
                        if (g > 0) sb.append(',');
                        sb.append(json(m.group(g)));
                    }
                    sb.append(']');
                }
                return sb.append(']').toString();
            }
            case "split": {
                String[] parts = extra == null ? input.split(pattern) : input.split(pattern, Integer.parseInt(extra));
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) sb.append(',');
                    sb.append(json(parts[i]));
                }
                return sb.append(']').toString();
            }
            case "replaceAll": return json(input.replaceAll(pattern, extra));
            case "replaceFirst": return json(input.replaceFirst(pattern, extra));
            case "matches": return Boolean.toString(input.matches(pattern));
            case "compile": Pattern.compile(pattern); return "true";
            default: throw new IllegalArgumentException("op " + op);
        }
    }

    static String unescape(String s) {
        s = s.replace("<TAB>", "\t").replace("<LF>", "\n").replace("<CR>", "\r");
        Matcher m = Pattern.compile("<U\\+([0-9A-Fa-f]{4,6})>").matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, "");
            sb.appendCodePoint(Integer.parseInt(m.group(1), 16));
        }
        return m.appendTail(sb).toString();
    }

    static String json(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) sb.append(c).append(s.charAt(++i));
            else if (Character.isSurrogate(c)) sb.append('?'); // a lone surrogate prints as '?'
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
