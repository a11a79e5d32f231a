package io.apex.migrator.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time of a JVM's JIT compiler threads ("C1 CompilerThread…", "C2 CompilerThread…"), from Linux's per-thread
 * /proc/PID/task/TID/stat: how far a worker is from its compiled steady state. Empty where /proc does not say.
 */
final class CompilerThreads {

    /** Linux reports thread CPU in USER_HZ ticks, 100 per second on every architecture the JDK ships for. */
    private static final double TICKS_PER_SECOND = 100;

    private CompilerThreads() {
    }

    /** CPU seconds per compiler thread id of a live process; empty map if /proc does not say. */
    static Map<Long, Double> cpuSeconds(long pid) {
        Map<Long, Double> byThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended between the listing and the read
                }
                parse(stat).ifPresent(ticks -> byThread.put(Long.parseLong(task.getFileName().toString()),
                        ticks / TICKS_PER_SECOND));
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return byThread;
    }

    /**
     * CPU seconds the compiler threads used between two {@link #cpuSeconds} readings: a thread started in between
     * counts whole, one that ended in between is lost (HotSpot retires idle compiler threads; they used little).
     */
    static <K> double between(Map<K, Double> before, Map<K, Double> after) {
        double used = 0;
        for (Map.Entry<K, Double> e : after.entrySet()) {
            used += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0.0));
        }
        return used;
    }

    /** utime + stime ticks of a compiler thread's stat line; empty for any other thread. */
    static Optional<Long> parse(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return Optional.empty();
        }
        String name = stat.substring(open + 1, close);
        if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
            return Optional.empty();
        }
        // after ") ": state(0) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(11) stime(12)
        String[] fields = stat.substring(close + 2).trim().split("\\s+");
        return Optional.of(Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
    }
}
