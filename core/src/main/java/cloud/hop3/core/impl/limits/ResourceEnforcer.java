package cloud.hop3.core.impl.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import cloud.hop3.api.process.ResourceLimits;

/**
 * Puts an app process under its limits with what this machine offers: control groups for
 * memory, CPU and the number of processes where they can be written ({@link CgroupSetup}),
 * rlimits otherwise, and always an rlimit for open files ({@code RLIMIT_NOFILE}, which no control
 * group counts).
 * <p>
 * With rlimits only, memory is bounded as address space ({@code RLIMIT_AS}: an allocation beyond
 * it fails instead of the process being killed, and runtimes that reserve much address space,
 * such as the JVM, need a generous value), the number of processes per user
 * ({@code RLIMIT_NPROC}, which counts every process of the user and does not bind root), and CPU
 * not at all. {@link #describe()} says which applies, for the platform log and {@code app:info}.
 * <p>
 * The platform's defaults lie under every app's own limits ({@link #effective}).
 */
public final class ResourceEnforcer {

    private final CgroupSetup cgroups;
    private final ResourceLimits defaults;

    public ResourceEnforcer(CgroupSetup cgroups, ResourceLimits defaults) {
        this.cgroups = cgroups;
        this.defaults = defaults;
    }

    /** Detects this machine's control groups for the installation in {@code home}. */
    public static ResourceEnforcer detect(Path home, ResourceLimits defaults) {
        return new ResourceEnforcer(CgroupSetup.detect(tag(home)), defaults);
    }

    /** A short tag of an installation: the first hex digits of the SHA-256 of its state directory. */
    static String tag(Path home) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(home.toAbsolutePath().normalize().toString()
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public CgroupSetup cgroups() {
        return cgroups;
    }

    public ResourceLimits defaults() {
        return defaults;
    }

    /** An app's limits over the platform's defaults. */
    public ResourceLimits effective(ResourceLimits app) {
        return (app == null ? ResourceLimits.NONE : app).over(defaults);
    }

    /**
     * Prepares the control groups of one process (created, limits written) and returns how to
     * start it in them.
     *
     * @param app     the app's name
     * @param process an identifier of the process unique within the app, safe as a file name
     * @param own     the app's own limits; the defaults are added here
     */
    public Confinement prepare(String app, String process, ResourceLimits own) throws IOException {
        ResourceLimits limits = effective(own);
        List<String> steps = new ArrayList<>();
        Optional<ProcessCgroup> group = Optional.empty();
        if (cgroups.version() > 0) {
            ProcessCgroup g = ProcessCgroup.of(cgroups, app, process);
            g.apply(limits);
            for (Path entry : g.entries()) {
                steps.add("echo $$ > " + quote(entry.toString()));
            }
            group = Optional.of(g);
        }
        if (limits.memoryBytes() != null && !cgroups.has("memory")) {
            steps.add("ulimit -v " + limits.memoryBytes() / 1024);
        }
        if (limits.processes() != null && !cgroups.has("pids")) {
            steps.add("ulimit -p " + limits.processes());
        }
        if (limits.openFiles() != null) {
            steps.add("ulimit -n " + limits.openFiles());
        }
        if (steps.isEmpty()) {
            return new Confinement(List.of(), group);
        }
        String script = String.join(" && ", steps) + " && exec \"$@\"";
        return new Confinement(List.of("/bin/sh", "-c", script, "hop3-limits"), group);
    }

    /** The confinement of a process that runs already (adopted after a restart of the platform): its group only. */
    public Confinement existing(String app, String process) {
        return cgroups.version() == 0 ? Confinement.NONE
                : new Confinement(List.of(), Optional.of(ProcessCgroup.of(cgroups, app, process)));
    }

    /** Removes what is left of an app's control groups (when the app is destroyed). */
    public void forget(String app) {
        for (Path dir : cgroups.directories().values()) {
            try {
                java.nio.file.Files.deleteIfExists(dir.resolve(app));
            } catch (IOException | RuntimeException e) {
                // a process of the app still runs in it
            }
        }
    }

    /** Which mechanism bounds what: "cgroup v1 (memory, cpu, pids); open files by rlimit". */
    public String describe() {
        if (cgroups.version() == 0) {
            return "rlimits (memory as address space, processes per user, no CPU limit); open files by rlimit";
        }
        List<String> fallback = new ArrayList<>();
        if (!cgroups.has("memory")) {
            fallback.add("memory as address space");
        }
        if (!cgroups.has("pids")) {
            fallback.add("processes per user");
        }
        String cpu = cgroups.has("cpu") ? "" : ", no CPU limit";
        return cgroups.describe() + (fallback.isEmpty() ? "" : ", rlimits for " + String.join(" and ", fallback)) + cpu
                + "; open files by rlimit";
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
