package health.meridian.domain.cohort;

import static health.meridian.domain.cohort.ModularField.mul;
import static health.meridian.domain.cohort.ModularField.sub;

/**
 * Whether sampled values f(z_i) of a quotient of two sets' characteristic polynomials are those of a rational
 * function P/Q with P monic of degree a and Q monic of degree b: the a+b unknown coefficients are solved from the
 * first a+b points (P(z) − f·Q(z) = 0 is linear in them) and checked at every point.
 */
final class RationalFit {

    private RationalFit() {
    }

    static boolean fits(long[] f, int a, int b) {
        int t = a + b;
        long[][] m = new long[t][t];
        long[] rhs = new long[t];
        for (int i = 0; i < t; i++) {
            long z = PersonSetSketch.point(i);
            for (int j = 0; j < a; j++) {
                m[i][j] = ModularField.pow(z, j);
            }
            for (int j = 0; j < b; j++) {
                m[i][a + j] = sub(0, mul(f[i], ModularField.pow(z, j)));
            }
            rhs[i] = sub(mul(f[i], ModularField.pow(z, b)), ModularField.pow(z, a));
        }
        long[] x = t == 0 ? new long[0] : ModularField.solve(m, rhs);
        if (x == null) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            long z = PersonSetSketch.point(i);
            if (monic(x, 0, a, z) != mul(f[i], monic(x, a, b, z))) {
                return false;
            }
        }
        return true;
    }

    /** z^degree + the sum of c[offset + j] z^j for j below degree. */
    private static long monic(long[] c, int offset, int degree, long z) {
        long value = 1;
        for (int j = degree - 1; j >= 0; j--) {
            value = ModularField.add(mul(value, z), c[offset + j]);
        }
        return value;
    }
}
