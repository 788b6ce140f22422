package cloud.hop3.core.impl.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import cloud.hop3.api.process.ResourceLimits;

/**
 * The control groups of one app process: {@code <installation's subtree>/<app>/<process id>} in
 * each writable controller, holding the process and everything it starts. One group per process
 * (not per app) makes each limit a limit of that process, as users write it, and lets an
 * out-of-memory kill be told from a crash by the group's own counter.
 * <p>
 * The groups outlive a restart of the platform with the processes in them; they are written
 * again at each launch and removed when the process is stopped.
 */
public final class ProcessCgroup {

    private static final long CPU_PERIOD_US = 100_000;

    private final int version;
    private final Map<String, Path> directories;

    ProcessCgroup(int version, Map<String, Path> directories) {
        this.version = version;
        this.directories = new LinkedHashMap<>(directories);
    }

    /** The group of one process; nothing is created yet. */
    static ProcessCgroup of(CgroupSetup setup, String app, String process) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String c : CgroupSetup.CONTROLLERS) {
            Path base = setup.directories().get(c);
            if (base != null) {
                dirs.put(c, base.resolve(app).resolve(process));
            }
        }
        return new ProcessCgroup(setup.version(), dirs);
    }

    /** Creates the groups and writes the limits; a limit that is not set is removed. */
    void apply(ResourceLimits limits) throws IOException {
        for (Path dir : new java.util.LinkedHashSet<>(directories.values())) {
            Files.createDirectories(dir);
        }
        Long memory = limits.memoryBytes();
        Double cpus = limits.cpus();
        Integer pids = limits.processes();
        if (version == 2) {
            Path dir = directories.values().iterator().next();
            writeIf(dir, "memory", "memory.max", memory == null ? "max" : String.valueOf(memory));
            writeIf(dir, "memory", "memory.swap.max", memory == null ? "max" : "0");
            writeIf(dir, "cpu", "cpu.max", (cpus == null ? "max" : String.valueOf(quota(cpus))) + " " + CPU_PERIOD_US);
            writeIf(dir, "pids", "pids.max", pids == null ? "max" : String.valueOf(pids));
            return;
        }
        Path mem = directories.get("memory");
        if (mem != null) {
            Path swap = mem.resolve("memory.memsw.limit_in_bytes");
            boolean hasSwapLimit = Files.exists(swap);
            if (hasSwapLimit) {
                // memory+swap may never be below memory: lift it, set memory, then hold swap to nothing
                Files.writeString(swap, "-1");
            }
            Files.writeString(mem.resolve("memory.limit_in_bytes"), memory == null ? "-1" : String.valueOf(memory));
            if (hasSwapLimit && memory != null) {
                Files.writeString(swap, String.valueOf(memory));
            }
        }
        Path cpu = directories.get("cpu");
        if (cpu != null) {
            Files.writeString(cpu.resolve("cpu.cfs_period_us"), String.valueOf(CPU_PERIOD_US));
            Files.writeString(cpu.resolve("cpu.cfs_quota_us"), cpus == null ? "-1" : String.valueOf(quota(cpus)));
        }
        Path pid = directories.get("pids");
        if (pid != null) {
            Files.writeString(pid.resolve("pids.max"), pids == null ? "max" : String.valueOf(pids));
        }
    }

    private void writeIf(Path dir, String controller, String file, String value) throws IOException {
        if (directories.containsKey(controller) && Files.exists(dir.resolve(file))) {
            Files.writeString(dir.resolve(file), value);
        }
    }

    private static long quota(double cpus) {
        return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
    }

    /** The {@code cgroup.procs} files a process writes its pid to, to enter its groups. */
    List<Path> entries() {
        List<Path> out = new ArrayList<>();
        for (Path dir : new java.util.LinkedHashSet<>(directories.values())) {
            out.add(dir.resolve("cgroup.procs"));
        }
        return out;
    }

    /** Whether the group limits this controller. */
    boolean has(String controller) {
        return directories.containsKey(controller);
    }

    /**
     * How many times the kernel killed a process of the group for going over its memory limit
     * ({@code oom_kill} of {@code memory.oom_control} in v1, of {@code memory.events} in v2); 0
     * when unknown.
     */
    public long oomKills() {
        Path mem = directories.get("memory");
        if (mem == null) {
            return 0;
        }
        try {
            Path file = mem.resolve(version == 2 ? "memory.events" : "memory.oom_control");
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("oom_kill")) {
                    return Long.parseLong(parts[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no counter: kills are not told from crashes
        }
        return 0;
    }

    /**
     * Removes the groups, and the app's and the installation's groups when nothing else is left
     * in them (cgroup v1; in v2 the installation's group carries the controllers and stays). A
     * group that still holds a process stays.
     */
    public void remove() {
        for (Path dir : new java.util.LinkedHashSet<>(directories.values())) {
            try {
                Files.deleteIfExists(dir);
                Files.deleteIfExists(dir.getParent());
                if (version == 1) {
                    Files.deleteIfExists(dir.getParent().getParent());
                }
            } catch (IOException | RuntimeException e) {
                // still in use, or gone: the next launch of the same process writes it again
            }
        }
    }
}
