package io.cdcmesh.servers;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
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
    public static <T> T value(Duration timeout, String what, Supplier<T> value, Predicate<T> accept) {
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

    /**
     * Checks that {@code check} holds throughout {@code period}: it runs on a fixed schedule every {@code every}
     * until the period ends, and the first failure is rethrown at once.
     */
    public static void throughout(Duration period, Duration every, Runnable check) {
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Void> failed = new CompletableFuture<>();
        try {
            clock.scheduleAtFixedRate(() -> {
                try {
                    check.run();
                } catch (Throwable t) {
                    failed.completeExceptionally(t);
                    throw t;
                }
            }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
            failed.get(period.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return; // the period passed and every check held
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            clock.shutdownNow();
        }
    }
}
