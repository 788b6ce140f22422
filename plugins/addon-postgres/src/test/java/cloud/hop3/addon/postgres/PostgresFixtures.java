package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.plugin.support.server.ServerProcesses;

/** What the PostgreSQL tests share: a state root the service account can pass through, and a real psql. */
final class PostgresFixtures {

    /** psql of the installed PostgreSQL. */
    static final Path PSQL = Path.of("/usr/lib/postgresql").resolve(
            Integer.toString(PostgresBinaries.installedMajors(PostgresBinaries.DEBIAN_ROOT).get(
                    PostgresBinaries.installedMajors(PostgresBinaries.DEBIAN_ROOT).size() - 1))).resolve("bin/psql");

    private PostgresFixtures() {
    }

    /** What psql printed and how it ended. */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code sql} with psql as the add-on's credentials, on {@code database} (null: theirs). */
    static Result psql(AddonCredentials credentials, String database, String sql) throws IOException, InterruptedException {
        PostgresConnection c = PostgresConnection.of(credentials);
        return psql(c.host(), c.port(), c.user(), c.password(), database == null ? c.database() : database, sql);
    }

    static Result psql(AddonCredentials credentials, String sql) throws IOException, InterruptedException {
        return psql(credentials, null, sql);
    }

    static Result psql(String host, int port, String user, String password, String database, String sql)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(PSQL.toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", host, "-p", Integer.toString(port), "-U", user, "-d", database, "-c", sql).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("PGPASSWORD", password);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("psql hangs");
        }
        return new Result(process.exitValue(), out.strip());
    }

    /** The postmaster that runs on {@code data}, if any. */
    static Optional<ProcessHandle> postmaster(Path data) {
        return ServerProcesses.fromPidFile(data.resolve("postmaster.pid"), p -> true);
    }

    /** Kills the server that still runs on {@code data} (after a failed test), so that its files can be removed. */
    static void killServer(Path data) {
        postmaster(data).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }
}
