package cloud.hop3.core.impl.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.core.impl.isolation.AppUser;

/**
 * Starts operating-system processes the way every app process is started: {@code /bin/sh -c
 * <command>} in the given directory, with exactly the given environment (nothing of the
 * platform's own), stdin from {@code /dev/null}, in a session of its own.
 * <p>
 * The own session (through util-linux {@code setsid}, which execs, so the pid stays the shell's)
 * keeps terminal signals meant for the platform (Ctrl-C on a foreground Karaf) away from the
 * apps, and lets the driver find every process an app started ({@link ProcessTree}). Without a
 * {@code setsid} binary processes share the platform's session and only their descendants are
 * found.
 * <p>
 * Each process runs as the {@link AppUser} it is given, which puts {@code setpriv} in front of
 * the command line (after {@code setsid}; both exec, so the pid stays the shell's).
 */
final class ProcessLauncher {

    private static final List<Path> SETSID_LOCATIONS = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final String SHELL = "/bin/sh";

    private final Optional<Path> setsid;

    ProcessLauncher(Optional<Path> setsid) {
        this.setsid = setsid;
    }

    /** A launcher that uses {@code setsid} where the system has it. */
    static ProcessLauncher detect() {
        return new ProcessLauncher(SETSID_LOCATIONS.stream().filter(Files::isExecutable).findFirst());
    }

    /** Whether processes get a session of their own. */
    boolean ownSessions() {
        return setsid.isPresent();
    }

    /**
     * Starts a long-running process whose stdout and stderr are appended straight to
     * {@code log} by the system: no pipe to this JVM, so the process neither blocks nor dies
     * when the platform is gone.
     */
    Process startDetached(List<String> limits, AppUser user, String command, Path workingDirectory, Map<String, String> env,
                          Path log) throws IOException {
        return builder(limits, user, command, workingDirectory, env)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
    }

    /** Starts a one-off process whose stdout and stderr come merged through one pipe. */
    Process startPiped(List<String> limits, AppUser user, String command, Path workingDirectory, Map<String, String> env)
            throws IOException {
        return builder(limits, user, command, workingDirectory, env)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .start();
    }

    /**
     * @param limits the words that put the process under its resource limits (a
     *               {@code cloud.hop3.core.impl.limits.Confinement}'s prefix), run first, with the
     *               platform's rights, before the change to the app's user; empty for none
     */
    private ProcessBuilder builder(List<String> limits, AppUser user, String command, Path workingDirectory,
                                   Map<String, String> env)
            throws IOException {
        if (!Files.isDirectory(workingDirectory)) {
            throw new IOException("working directory " + workingDirectory + " does not exist");
        }
        List<String> argv = new ArrayList<>(4);
        setsid.ifPresent(p -> argv.add(p.toString()));
        argv.addAll(limits);
        argv.addAll(user.wrap(List.of(SHELL, "-c", command)));
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(env);
        return builder;
    }
}
