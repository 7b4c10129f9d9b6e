package io.kvstore.bench;

import java.util.SplittableRandom;

/**
 * YCSB's scrambled zipfian generator (Gray et al., "Quickly generating billion-record synthetic
 * databases", constant 0.99): item popularity follows a zipfian curve, and the item number is
 * hashed so the hot items are spread across the key space rather than clustered at its start.
 */
final class Zipfian {

    private static final double THETA = 0.99;

    private final long items;
    private final double alpha;
    private final double zetan;
    private final double eta;

    Zipfian(long items) {
        this.items = items;
        double zeta2 = zeta(2);
        this.zetan = zeta(items);
        this.alpha = 1.0 / (1.0 - THETA);
        this.eta = (1 - Math.pow(2.0 / items, 1 - THETA)) / (1 - zeta2 / zetan);
    }

    private static double zeta(long n) {
        double sum = 0;
        for (long i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, THETA);
        }
        return sum;
    }

    /** The next item, in {@code [0, items)}. */
    long next(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * zetan;
        long rank;
        if (uz < 1.0) {
            rank = 0;
        } else if (uz < 1.0 + Math.pow(0.5, THETA)) {
            rank = 1;
        } else {
            rank = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        }
        return Math.floorMod(fnv(rank), items);
    }

    private static long fnv(long value) {
        long hash = 0xCBF29CE484222325L;
        for (int i = 0; i < 8; i++) {
            hash ^= value & 0xff;
            hash *= 1099511628211L;
            value >>>= 8;
        }
        return hash;
    }
}
