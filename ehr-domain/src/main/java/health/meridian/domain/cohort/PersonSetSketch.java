package health.meridian.domain.cohort;

import static health.meridian.domain.cohort.ModularField.P;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalInt;

/**
 * A constant-size summary of a set of persons (64 bytes and the size, whatever the set's size) that tells exactly
 * whether two sets differ by at most {@link #MAX_DIFFERENCE} persons, and by how many: set reconciliation by
 * characteristic polynomials (Minsky, Trachtenberg, Zippel 2003). Each person id is hashed (SHA-256) to an element h
 * of GF(2<sup>61</sup>−1); the sketch is the set's size and its characteristic polynomial, the product of (z − h),
 * evaluated at {@link #POINTS} fixed points z outside the hashes' range. For two sets A and B the quotient of their
 * values is P(z)/Q(z) where P and Q are the polynomials of A∖B and B∖A; with |A|−|B| known, a difference of t ≤ 4
 * persons is the one rational function of degrees (|A∖B|, |B∖A|) through t points that also passes through all
 * others. A difference of 4 or fewer is always found (the fit is unique); a larger one is reported as such except
 * with probability about 2<sup>−61</sup> per spare point (the ids' hashes are not chosen by the caller).
 */
public final class PersonSetSketch {

    public static final int MAX_DIFFERENCE = 4;
    static final int POINTS = 8;
    private static final long HASH_RANGE = P - POINTS - 1;

    private final long size;
    private final long[] values;

    private PersonSetSketch(long size, long[] values) {
        this.size = size;
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Restores a stored sketch ({@link #values()} as bytes). */
    public static PersonSetSketch of(long size, byte[] stored) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        if (stored.length != POINTS * Long.BYTES || size < 0) {
            throw new IllegalArgumentException("not a person set sketch");
        }
        long[] values = new long[POINTS];
        for (int i = 0; i < POINTS; i++) {
            values[i] = in.getLong();
        }
        return new PersonSetSketch(size, values);
    }

    /** The number of persons in the set. */
    public long size() {
        return size;
    }

    /** The stored form: the polynomial's values, 8 bytes each. */
    public byte[] values() {
        ByteBuffer out = ByteBuffer.allocate(POINTS * Long.BYTES);
        for (long v : values) {
            out.putLong(v);
        }
        return out.array();
    }

    /** The number of persons in exactly one of the two sets, when it is at most {@link #MAX_DIFFERENCE}. */
    public OptionalInt difference(PersonSetSketch other) {
        long d = size - other.size;
        if (Math.abs(d) > MAX_DIFFERENCE) {
            return OptionalInt.empty();
        }
        long[] quotient = new long[POINTS];
        for (int i = 0; i < POINTS; i++) {
            quotient[i] = ModularField.mul(values[i], ModularField.inverse(other.values[i]));
        }
        for (int t = (int) Math.abs(d); t <= MAX_DIFFERENCE; t += 2) {
            if (RationalFit.fits(quotient, (int) (t + d) / 2, (int) (t - d) / 2)) {
                return OptionalInt.of(t);
            }
        }
        return OptionalInt.empty();
    }

    /** The sketch of this set without a subset of it (e.g. A∖B from A and A∩B). */
    public PersonSetSketch without(PersonSetSketch subset) {
        if (subset.size > size) {
            throw new IllegalArgumentException("a subset cannot be larger than the set");
        }
        long[] out = new long[POINTS];
        for (int i = 0; i < POINTS; i++) {
            out[i] = ModularField.mul(values[i], ModularField.inverse(subset.values[i]));
        }
        return new PersonSetSketch(size - subset.size, out);
    }

    /** The i-th evaluation point (i from 0): P−1, P−2, ..., above every hash. */
    static long point(int i) {
        return P - 1 - i;
    }

    /** Collects person ids one by one (each id once); never holds the set. */
    public static final class Builder {

        private final MessageDigest sha256;
        private final long[] values = new long[POINTS];
        private long size;

        private Builder() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            java.util.Arrays.fill(values, 1);
        }

        public Builder add(String personId) {
            long h = hash(personId);
            for (int i = 0; i < POINTS; i++) {
                values[i] = ModularField.mul(values[i], ModularField.sub(point(i), h));
            }
            size++;
            return this;
        }

        public PersonSetSketch build() {
            return new PersonSetSketch(size, values.clone());
        }

        private long hash(String personId) {
            byte[] digest = sha256.digest(personId.getBytes(StandardCharsets.UTF_8));
            return Long.remainderUnsigned(ByteBuffer.wrap(digest).getLong() >>> 3, HASH_RANGE);
        }
    }
}
