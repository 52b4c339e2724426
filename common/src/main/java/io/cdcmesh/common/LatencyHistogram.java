package io.cdcmesh.common;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free histogram of millisecond latencies in logarithmic buckets (about 9% wide), from 0 ms to about a day:
 * enough to report p50, p99 and max without keeping samples.
 */
public final class LatencyHistogram {
    private static final double GROWTH = 1.09;
    private static final int BUCKETS = 220;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private volatile long max;

    public void record(long millis) {
        long value = Math.max(0, millis);
        counts.incrementAndGet(bucket(value));
        if (value > max) {
            synchronized (this) {
                if (value > max) {
                    max = value;
                }
            }
        }
    }

    /** The smallest bucket bound at or above {@code fraction} of the samples, in ms; 0 with no samples. */
    public long percentile(double fraction) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(fraction * total);
        long running = 0;
        for (int i = 0; i < BUCKETS; i++) {
            running += counts.get(i);
            if (running >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    public long max() {
        return max;
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    private static int bucket(long millis) {
        if (millis <= 1) {
            return (int) millis;
        }
        return (int) Math.min(BUCKETS - 1, 2 + Math.floor(Math.log(millis) / Math.log(GROWTH)));
    }

    private static long upperBound(int bucket) {
        if (bucket <= 1) {
            return bucket;
        }
        return (long) Math.ceil(Math.pow(GROWTH, bucket - 1));
    }
}
