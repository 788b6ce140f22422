package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import cloud.hop3.api.addon.AddonException;

/**
 * Dumps and restores with PostgreSQL's own tools, as the add-on's own role: {@code pg_dump -Fc}
 * (custom format: compressed, restorable selectively) and {@code pg_restore}, which drops what the
 * dump holds before recreating it, owned by the add-on's owner role whichever login role restores.
 */
final class PostgresTools {

    private PostgresTools() {
    }

    /** Writes a custom-format dump of {@code c}'s database to {@code out}. */
    static void dump(Path pgDump, PostgresConnection c, OutputStream out) throws AddonException {
        run(List.of(pgDump.toString(), "-Fc", "--no-password", "-h", c.host(), "-p", Integer.toString(c.port()),
                "-U", c.user(), "-d", c.database()), c, null, out, "pg_dump");
    }

    /** Restores a dump from {@code in} into {@code c}'s database, its objects owned by {@code owner}. */
    static void restore(Path pgRestore, PostgresConnection c, String owner, InputStream in) throws AddonException {
        run(List.of(pgRestore.toString(), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--role=" + owner,
                "--single-transaction", "--exit-on-error", "--no-password", "-h", c.host(), "-p", Integer.toString(c.port()),
                "-U", c.user(), "-d", c.database()), c, in, null, "pg_restore");
    }

    private static void run(List<String> argv, PostgresConnection c, InputStream in, OutputStream out, String tool)
            throws AddonException {
        ProcessBuilder builder = new ProcessBuilder(argv);
        Psql.environment(builder.environment(), c);
        try {
            Process process = builder.start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> {
                try (InputStream err = process.getErrorStream()) {
                    return new String(err.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try (OutputStream stdin = process.getOutputStream()) {
                    if (in != null) {
                        in.transferTo(stdin);
                    }
                } catch (IOException e) {
                    // the tool stopped reading: its own error says why
                }
            });
            try (InputStream stdout = process.getInputStream()) {
                if (out != null) {
                    stdout.transferTo(out);
                } else {
                    stdout.transferTo(OutputStream.nullOutputStream());
                }
            }
            int exit = process.waitFor();
            feeding.join();
            if (exit != 0) {
                throw new AddonException(tool + " of " + c.database() + " on " + c.address() + " failed: "
                        + EmbeddedPostgres.lastLines(errors.join()));
            }
        } catch (IOException e) {
            throw new AddonException(tool + " of " + c.database() + " on " + c.address() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted during " + tool + " of " + c.database(), e);
        }
    }
}
