// Generates test vectors for `vtl::java::write_double`: one line per double,
// "<16 hex digits of the IEEE bits> <Double.toString(d)>".
//
// Usage: java DoubleVectors.java <count> <seed> [float] > vectors.txt
// With "float", lines are "<8 hex digits> <Float.toString(f)>" for random floats.
// The committed samples were made with JDK 17: double_vectors.txt with count 3000, seed 17;
// float_vectors.txt with count 2000, seed 17, float.
import java.util.Random;

public class DoubleVectors {
    public static void main(String[] args) {
        int count = Integer.parseInt(args[0]);
        Random r = new Random(Long.parseLong(args[1]));
        StringBuilder out = new StringBuilder();
        if (args.length > 2 && args[2].equals("float")) {
            for (int i = 0; i < count; i++) {
                float f = pickFloat(r, i % 6);
                out.append(String.format("%08x", Float.floatToRawIntBits(f)))
                   .append(' ').append(Float.toString(f)).append('\n');
            }
            System.out.print(out);
            return;
        }
        for (int i = 0; i < count; i++) {
            double d = pick(r, i % 12);
            out.append(String.format("%016x", Double.doubleToRawLongBits(d)))
               .append(' ').append(Double.toString(d)).append('\n');
            if (out.length() > 1 << 16) { System.out.print(out); out.setLength(0); }
        }
        System.out.print(out);
    }

    static float pickFloat(Random r, int kind) {
        switch (kind) {
            case 0: case 1: return Float.intBitsToFloat(r.nextInt());
            case 2: return r.nextInt(100000) * 0.1f;
            case 3: return Float.intBitsToFloat(r.nextInt() & 0x007fffff); // subnormals
            case 4: return (float) (r.nextInt() >> r.nextInt(32));
            default: return (float) (r.nextDouble() * Math.pow(10, r.nextInt(30) - 15));
        }
    }

    static double pick(Random r, int kind) {
        switch (kind) {
            case 0: case 1: { // random bits (no NaN payload variety needed)
                return Double.longBitsToDouble(r.nextLong());
            }
            case 2: return r.nextInt(100000) * 0.1;               // 0.1*k
            case 3: return r.nextInt(1000000) / Math.pow(10, r.nextInt(8)); // nice decimals
            case 4: { // powers of ten and their neighbours
                double p = Double.parseDouble("1e" + (r.nextInt(630) - 323));
                switch (r.nextInt(3)) { case 0: return p; case 1: return Math.nextUp(p); default: return Math.nextDown(p); }
            }
            case 5: return Double.longBitsToDouble(r.nextLong() & 0x000fffffffffffffL); // subnormals
            case 6: { // around the 1e-3 and 1e7 format boundaries
                double b = r.nextBoolean() ? 1e-3 : 1e7;
                int steps = r.nextInt(2000) - 1000;
                long bits = Double.doubleToRawLongBits(b) + steps;
                if (r.nextInt(4) == 0) return b * (0.9 + r.nextDouble() * 0.2);
                return Double.longBitsToDouble(bits);
            }
            case 7: return (double) (r.nextLong() >> r.nextInt(64)); // integers of all sizes
            case 8: { // powers of two and neighbours
                double p = Math.scalb(1.0, r.nextInt(2098) - 1074);
                switch (r.nextInt(3)) { case 0: return p; case 1: return Math.nextUp(p); default: return Math.nextDown(p); }
            }
            case 9: return (double) Float.intBitsToFloat(r.nextInt()); // float-derived doubles
            case 10: return (r.nextBoolean() ? 1 : -1) * r.nextInt(10000) / Math.pow(10, r.nextInt(25) - 5) ;
            default: return r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
        }
    }
}
