package io.cdcmesh.bench.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of the processes that share the machine during a run, read from {@code /proc}: where the two cores went.
 * Linux counts it in clock ticks of 10 ms ({@code CLK_TCK} = 100).
 */
public final class CpuMeter {
    private static final double TICKS_PER_SECOND = 100;

    /** CPU ticks of each process (user, system), and of the whole machine (busy, total), at one moment. */
    public record Sample(long nanos, Map<String, long[]> ticks, long machineBusy, long machineTotal) {}

    private final Map<String, Long> pids = new LinkedHashMap<>();

    public CpuMeter add(String name, long pid) {
        pids.put(name, pid);
        return this;
    }

    public Sample sample() {
        Map<String, long[]> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ticks.put(name, processTicks(pid)));
        long[] machine = machineTicks();
        return new Sample(System.nanoTime(), ticks, machine[0], machine[1]);
    }

    /** "ES node 1.52 (0.31 system), worker 0.40 (...), ... cores; machine 99% busy of 2 cores" between two samples. */
    public static String between(Sample from, Sample to) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, long[]> e : to.ticks().entrySet()) {
            long[] before = from.ticks().get(e.getKey());
            double user = (e.getValue()[0] - before[0]) / TICKS_PER_SECOND / seconds;
            double system = (e.getValue()[1] - before[1]) / TICKS_PER_SECOND / seconds;
            text.append(text.length() == 0 ? "" : ", ").append(e.getKey())
                    .append(String.format(" %.2f (%.2f system)", user + system, system));
        }
        double total = to.machineTotal() - from.machineTotal();
        double busy = total == 0 ? 0 : (to.machineBusy() - from.machineBusy()) / total;
        int cores = Runtime.getRuntime().availableProcessors();
        return text + String.format(" cores; machine %.0f%% busy of %d cores", busy * 100, cores);
    }

    private static long[] processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** Busy and total ticks of all cores together, from the first line of /proc/stat. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }
}
