package io.cdcmesh.servers;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which listening TCP sockets this JVM and every process it started hold on the wildcard address (every interface)
 * rather than on loopback, read from Linux's {@code /proc}: the sockets each process has open, and the kernel's
 * table of listening sockets.
 */
public final class Listeners {
    private Listeners() {}

    /** "pid 123 (java ...): *:45678" for each wildcard listener of this JVM and its descendants; empty if none. */
    public static List<String> onEveryInterface() {
        Map<String, ProcessHandle> socketOwners = new HashMap<>();
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(ProcessHandle.current());
        try (Stream<ProcessHandle> descendants = ProcessHandle.current().descendants()) {
            descendants.forEach(processes::add);
        }
        for (ProcessHandle process : processes) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            socketOwners.put(target.substring(8, target.length() - 1), process);
                        }
                    } catch (IOException ignored) {
                        // closed while we looked
                    }
                }
            } catch (IOException ignored) {
                // the process ended while we looked
            }
        }
        List<String> wildcard = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A")) {
                    continue;
                }
                String[] local = f[1].split(":");
                ProcessHandle owner = socketOwners.get(f[9]);
                if (owner != null && local[0].chars().allMatch(c -> c == '0')) {
                    wildcard.add("pid " + owner.pid() + " (" + owner.info().command().orElse("?") + "): *:" + Integer.parseInt(local[1], 16));
                }
            }
        }
        return wildcard;
    }
}
