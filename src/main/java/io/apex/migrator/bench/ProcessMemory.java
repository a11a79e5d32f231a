package io.apex.migrator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a process' memory figures from Linux's /proc. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** VmHWM (peak resident set size) of a live process, in bytes; empty if /proc does not say. */
    static Optional<Long> peakRssBytes(long pid) {
        return field(pid, "VmHWM:");
    }

    static Optional<Long> field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Optional.of(parseKb(line.substring(name.length())));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** "   123456 kB" as bytes. */
    static long parseKb(String value) {
        String v = value.trim();
        if (!v.endsWith("kB")) {
            throw new IllegalArgumentException("not a kB figure: " + value);
        }
        return Long.parseLong(v.substring(0, v.length() - 2).trim()) * 1024;
    }
}
