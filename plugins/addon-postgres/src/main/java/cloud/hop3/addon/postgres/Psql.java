package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.addon.AddonException;

/**
 * Runs SQL on a server with PostgreSQL's own client, {@code psql}, so the plugin needs no driver:
 * the statements go on its standard input and the password in its environment
 * ({@code PGPASSWORD}), so neither shows in a process list; {@code ON_ERROR_STOP} makes the first
 * failing statement the end and its error the {@link AddonException}. The client runs as the
 * platform's user: it only talks TCP. Also quotes identifiers and literals, the one place that does.
 */
final class Psql {

    private static final long TIMEOUT_SECONDS = 120;

    private final Path binary;

    /** @param binary the {@code psql} executable */
    Psql(Path binary) {
        this.binary = binary;
    }

    /** A quoted identifier: {@code "name"}, inner quotes doubled. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * A quoted string literal that reads the same whatever the server's
     * {@code standard_conforming_strings}: an escape string ({@code E'...'}) with backslashes and
     * quotes doubled.
     */
    static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A NUL character cannot be sent to PostgreSQL");
        }
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Runs {@code sql} (statements separated by semicolons), each in its own transaction. */
    void execute(PostgresConnection to, String sql) throws AddonException {
        query(to, sql);
    }

    /**
     * The rows that {@code sql} returns (of its last statement that returns rows, and of the
     * others before it), each a list of its columns' text; NULL is the empty string.
     */
    List<List<String>> query(PostgresConnection to, String sql) throws AddonException {
        List<String> argv = List.of(binary.toString(), "-X", "-q", "-A", "-t", "-z", "-v", "ON_ERROR_STOP=1",
                "-h", to.host(), "-p", Integer.toString(to.port()), "-U", to.user(), "-d", to.database(), "-f", "-");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(false);
        environment(builder.environment(), to);
        String out;
        String err;
        int exit;
        try {
            Process process = builder.start();
            CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // psql stopped reading: its error says why
            }
            out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AddonException("psql on " + to.address() + " took longer than " + TIMEOUT_SECONDS + " s");
            }
            err = new String(errors.join(), StandardCharsets.UTF_8);
            exit = process.exitValue();
        } catch (IOException e) {
            throw new AddonException("Could not run " + binary + ": " + e.getMessage()
                    + "; install PostgreSQL's client (apt-get install postgresql-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted while running psql on " + to.address(), e);
        }
        if (exit != 0) {
            throw new AddonException("PostgreSQL at " + to.address() + " refused (as " + to.user() + "): "
                    + err.strip().replace("psql:<stdin>:", "line "));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                rows.add(Arrays.asList(line.split("\0", -1)));
            }
        }
        return rows;
    }

    /** The one value that {@code sql} returns, or empty when it returns no row. */
    String value(PostgresConnection to, String sql) throws AddonException {
        List<List<String>> rows = query(to, sql);
        return rows.isEmpty() ? "" : rows.get(rows.size() - 1).get(0);
    }

    /**
     * The environment of a PostgreSQL client on {@code to}: its password, a connect timeout, and
     * none of the platform's own {@code PG*} variables (they would change where it connects).
     */
    static void environment(Map<String, String> env, PostgresConnection to) {
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGPASSWORD", to.password());
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "hop3");
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
