package health.meridian.domain.cohort;

/**
 * Arithmetic modulo the Mersenne prime 2<sup>61</sup>−1 (values are longs in [0, P)), and the small linear
 * systems {@link PersonSetSketch} solves in it.
 */
final class ModularField {

    static final long P = (1L << 61) - 1;

    private ModularField() {
    }

    static long add(long a, long b) {
        long s = a + b;
        return s >= P ? s - P : s;
    }

    static long sub(long a, long b) {
        long d = a - b;
        return d < 0 ? d + P : d;
    }

    static long mul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return reduce((lo & P) + ((lo >>> 61) | (hi << 3)));
    }

    static long pow(long base, long exponent) {
        long result = 1;
        long b = base;
        for (long e = exponent; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = mul(result, b);
            }
            b = mul(b, b);
        }
        return result;
    }

    /** The inverse of a non-zero element (Fermat). */
    static long inverse(long a) {
        if (a == 0) {
            throw new ArithmeticException("zero has no inverse");
        }
        return pow(a, P - 2);
    }

    private static long reduce(long r) {
        long s = (r & P) + (r >>> 61);
        return s >= P ? s - P : s;
    }

    /**
     * The solution x of {@code m x = rhs} (m square, rows are equations), or null when m is singular.
     * Gaussian elimination; m and rhs are overwritten.
     */
    static long[] solve(long[][] m, long[] rhs) {
        int n = rhs.length;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && m[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                return null;
            }
            swap(m, rhs, col, pivot);
            long inv = inverse(m[col][col]);
            for (int row = 0; row < n; row++) {
                if (row != col && m[row][col] != 0) {
                    long factor = mul(m[row][col], inv);
                    for (int k = col; k < n; k++) {
                        m[row][k] = sub(m[row][k], mul(factor, m[col][k]));
                    }
                    rhs[row] = sub(rhs[row], mul(factor, rhs[col]));
                }
            }
        }
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = mul(rhs[i], inverse(m[i][i]));
        }
        return x;
    }

    private static void swap(long[][] m, long[] rhs, int a, int b) {
        long[] row = m[a];
        m[a] = m[b];
        m[b] = row;
        long r = rhs[a];
        rhs[a] = rhs[b];
        rhs[b] = r;
    }
}
