package io.cdcmesh.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a condition with a deadline: the test kit's only way to wait. */
public final class Await {
    private static final long POLL_MS = 25;

    private Await() {}

    /** Thrown from a condition to stop waiting at once: what is awaited can no longer happen. */
    public static final class Abort extends RuntimeException {
        public Abort(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Returns once {@code condition} is true; fails with {@code what} once {@code timeout} has passed. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
                last = null;
            } catch (Abort e) {
                throw e;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError error = new AssertionError("Timed out after " + timeout + " waiting for " + what);
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            pause();
        }
    }

    /** Polls {@code value} until it satisfies {@code accept}, and returns it. */
    public static <T> T value(Duration timeout, String what, Supplier<T> value, java.util.function.Predicate<T> accept) {
        @SuppressWarnings("unchecked")
        T[] holder = (T[]) new Object[1];
        until(timeout, what, () -> {
            holder[0] = value.get();
            return accept.test(holder[0]);
        });
        return holder[0];
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
