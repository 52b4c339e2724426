package io.cdcmesh.common;

import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with jitter: attempt n waits a random time in [d/2, d], d = min(max, base * 2^n). */
public record Backoff(long baseMs, long maxMs) {
    public long delayMs(int attempt) {
        long delay = baseMs << Math.min(attempt, 30);
        if (delay <= 0 || delay > maxMs) {
            delay = maxMs;
        }
        long half = delay / 2;
        return half + ThreadLocalRandom.current().nextLong(delay - half + 1);
    }
}
