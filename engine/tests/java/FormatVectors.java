// Generates test vectors for `vtl::java::string::format` (`String.format` on JDK 17, en locale).
//
// Usage: java FormatVectors.java > format_vectors.jsonl
// Each case is a format string and typed arguments: "i:5" Integer, "l:5" Long, "d:1.5" Double,
// "f:1.5" Float, "s:abc" String, "b:true" Boolean, "B:123" BigInteger, "D:1.50" BigDecimal,
// "n:" null. Output: {"format", "args", "result"} or {"format", "args", "error"}.
import java.math.*;
import java.util.*;

public class FormatVectors {
    static Object arg(String a) {
        String v = a.substring(2);
        switch (a.charAt(0)) {
            case 'i': return Integer.valueOf(v);
            case 'l': return Long.valueOf(v);
            case 'd': return Double.valueOf(v);
            case 'f': return Float.valueOf(v);
            case 's': return v;
            case 'b': return Boolean.valueOf(v);
            case 'B': return new BigInteger(v);
            case 'D': return new BigDecimal(v);
            default: return null;
        }
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    static void emit(StringBuilder out, String fmt, String... args) {
        Object[] values = new Object[args.length];
        for (int i = 0; i < args.length; i++) values[i] = arg(args[i]);
        out.append("{\"format\":").append(json(fmt)).append(",\"args\":[");
        for (int i = 0; i < args.length; i++) out.append(i > 0 ? "," : "").append(json(args[i]));
        out.append("],");
        try {
            String r = String.format(Locale.ENGLISH, fmt, values);
            out.append("\"result\":").append(json(r));
        } catch (Exception e) {
            out.append("\"error\":").append(json(e.toString()));
        }
        out.append("}\n");
    }

    public static void main(String[] argv) {
        StringBuilder out = new StringBuilder();
        String[] doubles = {"0", "-0.0", "1", "0.5", "1.5", "2.5", "0.125", "1.005", "0.1", "0.3", "123.456", "-123.456",
            "1e-5", "0.00001234", "9.995", "99.995", "0.0005", "0.0004999", "1e7", "12345678.9", "1e21", "1.7976931348623157E308",
            "4.9E-324", "NaN", "Infinity", "-Infinity", "1e23", "0.009", "0.95", "999999.5", "3.14159265358979", "2.675", "1e-10", "100"};
        String[] dspecs = {"%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%.20f", "%10.2f", "%-10.2f|", "%010.2f", "%+.2f", "% .2f",
            "%,.2f", "%(.2f", "%#.0f", "%e", "%.0e", "%.2e", "%.10e", "%E", "%+e", "%g", "%.0g", "%.3g", "%.10g", "%G", "%,f", "%s", "%10.3e"};
        for (String d : doubles) for (String s : dspecs) emit(out, s, "d:" + d);
        for (String d : new String[]{"0.1", "1.5", "3.4028235E38", "1e-3", "16777217"}) for (String s : new String[]{"%f", "%.2f", "%.10f", "%e", "%g", "%s"}) emit(out, s, "f:" + d);
        for (String d : new String[]{"0.125", "1.005", "-2.5", "123456789.987654321", "1E+3", "0.000", "1e-10"}) for (String s : new String[]{"%f", "%.2f", "%.0f", "%,.3f", "%e", "%.2e", "%g", "%s"}) emit(out, s, "D:" + d);
        String[] ints = {"i:0", "i:5", "i:-5", "i:42", "i:2147483647", "i:-2147483648", "i:1234567", "l:5000000000", "l:-1", "B:123456789012345678901234", "B:-255"};
        String[] ispecs = {"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%,d", "%(d", "%x", "%X", "%#x", "%o", "%#o", "%08X", "%s", "%10s|", "%-10s|", "%.2s", "%c", "%b", "%h", "%+x", "%,010d", "%(,d", "%.2d", "%#d", "%-05d"};
        for (String i : ints) for (String s : ispecs) emit(out, s, i);
        String[] others = {"s:hello", "s:", "s:héllo", "b:true", "b:false", "n:"};
        String[] ospecs = {"%s", "%S", "%10s|", "%-10s|", "%.3s", "%b", "%B", "%h", "%c", "%d", "%f", "%x", "%#s", "%5.1s|"};
        for (String o : others) for (String s : ospecs) emit(out, s, o);
        emit(out, "%s and %s", "s:a", "s:b");
        emit(out, "%2$s %1$s", "s:a", "s:b");
        emit(out, "%s %<s %s", "s:a", "s:b");
        emit(out, "%s %s", "s:a");
        emit(out, "%q", "s:a");
        emit(out, "100%", "s:a");
        emit(out, "100%%");
        emit(out, "a%nb");
        emit(out, "%5%|");
        emit(out, "%-%");
        emit(out, "%-s", "s:a");
        emit(out, "%--5s", "s:a");
        emit(out, "%+ d", "i:5");
        emit(out, "%-05d", "i:5");
        emit(out, "%3$s", "s:a");
        emit(out, "%0$s", "s:a");
        emit(out, "%1$s %s %s", "s:a", "s:b");
        emit(out, "%<s", "s:a");
        emit(out, "%c", "i:128512");
        emit(out, "%c", "i:-1");
        emit(out, "%5c|", "i:65");
        emit(out, "%.2c", "i:65");
        emit(out, "%d%%", "i:50");
        emit(out, "%,d", "l:-1234567890123");
        emit(out, "%x", "i:-255");
        emit(out, "%o", "l:-8");
        emit(out, "%,.2f", "d:-1234567.891");
        emit(out, "%010.2f", "d:-3.5");
        emit(out, "%(10.2f|", "d:-3.5");
        emit(out, "%s", "i:5", "i:6");
        emit(out, "no specs", "i:5");
        emit(out, "%05s", "s:a");
        emit(out, "%,s", "s:a");
        emit(out, "%tY", "l:0");
        emit(out, "%a", "d:1.0");
        emit(out, "%", "s:a");
        emit(out, "%1", "s:a");
        emit(out, "%.f", "d:1.0");
        System.out.print(out);
    }
}
