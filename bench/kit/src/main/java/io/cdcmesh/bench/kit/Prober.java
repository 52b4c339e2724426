package io.cdcmesh.bench.kit;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/** Counts searchable documents every 20 ms and keeps (time, count) pairs. */
public final class Prober implements Runnable {
    public static final long INTERVAL_NANOS = 20_000_000L;

    private final LongSupplier count;
    private volatile boolean running = true;
    private long[] times = new long[1 << 14];
    private long[] counts = new long[1 << 14];
    private int size;

    public Prober(LongSupplier count) {
        this.count = count;
    }

    @Override
    public void run() {
        while (running) {
            long next = System.nanoTime() + INTERVAL_NANOS;
            long c = count.getAsLong();
            long t = System.nanoTime();
            synchronized (this) {
                if (size == times.length) {
                    times = Arrays.copyOf(times, size * 2);
                    counts = Arrays.copyOf(counts, size * 2);
                }
                times[size] = t;
                counts[size] = c;
                size++;
            }
            for (long wait = next - System.nanoTime(); wait > 0 && running; wait = next - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    public void stop() {
        running = false;
    }

    /** The index of the first probe that counted at least {@code documents}, or -1. */
    public synchronized int firstProbeCounting(long documents, int fromProbe) {
        for (int i = fromProbe; i < size; i++) {
            if (counts[i] >= documents) {
                return i;
            }
        }
        return -1;
    }

    /** The count of the latest probe, -1 before the first. */
    public synchronized long last() {
        return size == 0 ? -1 : counts[size - 1];
    }

    public synchronized long time(int probe) {
        return times[probe];
    }
}
