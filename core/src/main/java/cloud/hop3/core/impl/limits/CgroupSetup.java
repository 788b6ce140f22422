package cloud.hop3.core.impl.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where this platform may place app processes in control groups, found once at start from
 * {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}.
 * <p>
 * Each installation gets a subtree of its own below the platform's own group in every hierarchy
 * ({@code <mount>/<platform's group>/hop3-<tag>/}): nested there, app processes stay within
 * whatever the service manager gave the platform (a systemd unit with {@code Delegate=yes}, say),
 * and two installations on one machine never share a group. The tag is derived from the state
 * directory, so a restarted platform finds the groups of the processes it adopts.
 * <p>
 * cgroup v2 is used where the platform's group lets it enable the memory, cpu and pids
 * controllers for a child (its own {@code cgroup.subtree_control} allows them); cgroup v1 where
 * the memory, cpu and pids hierarchies are mounted and the platform may create groups in them.
 * A controller that cannot be written is left out, and its limit falls back to an rlimit where one
 * exists ({@link Enforcement}).
 *
 * @param version     2, 1, or 0 when no control group can be written
 * @param directories the installation's subtree per controller ("memory", "cpu", "pids"); for
 *                    cgroup v2 the three share one directory
 */
public record CgroupSetup(int version, Map<String, Path> directories) {

    static final List<String> CONTROLLERS = List.of("memory", "cpu", "pids");

    public CgroupSetup {
        directories = Map.copyOf(directories);
    }

    /** No control groups: limits come from rlimits only. */
    public static CgroupSetup none() {
        return new CgroupSetup(0, Map.of());
    }

    /** Detects the setup of this machine for the installation tagged {@code tag}; never throws. */
    public static CgroupSetup detect(String tag) {
        try {
            return detect(Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8),
                    Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8), tag);
        } catch (IOException | RuntimeException e) {
            return none();
        }
    }

    static CgroupSetup detect(List<String> mountinfo, List<String> ownGroups, String tag) {
        Map<String, String> own = new LinkedHashMap<>();
        for (String line : ownGroups) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3) {
                if (parts[1].isEmpty()) {
                    own.put("", parts[2]);
                } else {
                    for (String c : parts[1].split(",")) {
                        own.put(c, parts[2]);
                    }
                }
            }
        }
        Optional<CgroupSetup> v2 = v2(mountinfo, own, tag);
        if (v2.isPresent()) {
            return v2.get();
        }
        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String controller : CONTROLLERS) {
            Optional<Path> mount = mountOf(mountinfo, "cgroup", controller);
            String group = own.get(controller);
            if (mount.isPresent() && group != null) {
                Path dir = under(mount.get(), group).resolve("hop3-" + tag);
                if (creatable(dir, true)) {
                    dirs.put(controller, dir);
                }
            }
        }
        return dirs.isEmpty() ? none() : new CgroupSetup(1, dirs);
    }

    private static Optional<CgroupSetup> v2(List<String> mountinfo, Map<String, String> own, String tag) {
        Optional<Path> mount = mountOf(mountinfo, "cgroup2", null);
        String group = own.get("");
        if (mount.isEmpty() || group == null) {
            return Optional.empty();
        }
        Path platform = under(mount.get(), group);
        try {
            String available = Files.readString(platform.resolve("cgroup.controllers"));
            List<String> wanted = new ArrayList<>();
            for (String c : CONTROLLERS) {
                if ((" " + available.trim() + " ").contains(" " + c + " ")) {
                    wanted.add(c);
                }
            }
            if (wanted.isEmpty()) {
                return Optional.empty();
            }
            Path dir = platform.resolve("hop3-" + tag);
            if (!creatable(dir, false)) {
                return Optional.empty();
            }
            // the installation's group holds no process itself, so it may hand controllers to its children
            Files.writeString(dir.resolve("cgroup.subtree_control"), String.join(" ", wanted.stream().map(c -> "+" + c).toList()));
            Map<String, Path> dirs = new LinkedHashMap<>();
            wanted.forEach(c -> dirs.put(c, dir));
            return Optional.of(new CgroupSetup(2, dirs));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The mount point of a hierarchy of {@code fsType} that holds {@code controller} (any when null). */
    private static Optional<Path> mountOf(List<String> mountinfo, String fsType, String controller) {
        for (String line : mountinfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (before.length < 5 || after.length < 3 || !after[0].equals(fsType)) {
                continue;
            }
            if (controller == null || List.of(after[2].split(",")).contains(controller)) {
                return Optional.of(Path.of(before[4]));
            }
        }
        return Optional.empty();
    }

    private static Path under(Path mount, String group) {
        String relative = group.startsWith("/") ? group.substring(1) : group;
        return relative.isEmpty() ? mount : mount.resolve(relative);
    }

    /** Whether the platform may create {@code dir}; with {@code probeOnly} a directory created to find out is removed again. */
    private static boolean creatable(Path dir, boolean probeOnly) {
        try {
            boolean existed = Files.isDirectory(dir);
            Files.createDirectories(dir);
            boolean writable = Files.isWritable(dir);
            if (probeOnly && !existed) {
                Files.deleteIfExists(dir);
            }
            return writable;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a controller can be written. */
    public boolean has(String controller) {
        return directories.containsKey(controller);
    }

    /** "cgroup v1 (memory, cpu, pids)", or "no control groups". */
    public String describe() {
        return version == 0 ? "no writable control groups"
                : "cgroup v" + version + " (" + String.join(", ", CONTROLLERS.stream().filter(this::has).toList()) + ")";
    }
}
