package cloud.hop3.plugin.support.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The machine's account database, through the shadow-utils commands ({@code getent},
 * {@code useradd}, {@code userdel}, {@code groupdel}), which lock {@code /etc/passwd} and
 * {@code /etc/group} the way every other tool on the machine expects. Changes are serialised
 * within one bundle; {@code useradd} fails instead of waiting on another's lock of the files
 * (another bundle's, or an administrator's), so a creation is tried again a few times.
 * Core uses it for the apps' users, database plugins for their servers' accounts.
 */
public final class SystemUsers {

    /** One account, as {@code getent passwd} prints it. */
    public record Account(String name, int uid, int gid, String comment) {
    }

    private static final long COMMAND_SECONDS = 30;
    private static final String NO_LOGIN = "/usr/sbin/nologin";

    /** The account of that name, if the machine has one. */
    public Optional<Account> find(String name) throws IOException {
        Result r = run(List.of("getent", "passwd", name));
        if (r.status == 2) {
            return Optional.empty();
        }
        if (r.status != 0) {
            throw new IOException("getent passwd " + name + " failed (" + r.status + "): " + r.output.strip());
        }
        String[] fields = r.output.strip().split(":", -1);
        if (fields.length < 7 || !fields[0].equals(name)) {
            throw new IOException("getent passwd " + name + " printed an unexpected line: " + r.output.strip());
        }
        return Optional.of(new Account(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), fields[4]));
    }

    /** Creates a system user with a group of the same name, no login shell and no home created. */
    public synchronized void add(String name, String comment, Path home) throws IOException {
        Result r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            r = run(List.of("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", home.toString(),
                    "--shell", NO_LOGIN, "--comment", comment, name));
            if (r.status == 0 || find(name).isPresent()) {
                return;
            }
            try {
                Thread.sleep(200L * (attempt + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("useradd " + name + " failed (" + r.status + "): " + r.output.strip());
    }

    /** Removes a user and its group; nothing happens for a user or group that does not exist. */
    public synchronized void delete(String name) throws IOException {
        if (find(name).isPresent()) {
            Result r = run(List.of("userdel", name));
            if (r.status != 0 && find(name).isPresent()) {
                throw new IOException("userdel " + name + " failed (" + r.status + "): " + r.output.strip());
            }
        }
        // userdel removes the user's own group only where USERGROUPS_ENAB says so
        if (run(List.of("getent", "group", name)).status == 0) {
            Result g = run(List.of("groupdel", name));
            if (g.status != 0 && run(List.of("getent", "group", name)).status == 0) {
                throw new IOException("groupdel " + name + " failed (" + g.status + "): " + g.output.strip());
            }
        }
    }

    /** Whether the commands this class runs are installed. */
    public static Optional<String> missingCommand() {
        for (String command : List.of("getent", "useradd", "userdel", "groupdel")) {
            if (!onPath(command)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }

    private static boolean onPath(String command) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (java.nio.file.Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(command);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Process process = builder.start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted", e);
        }
    }
}
