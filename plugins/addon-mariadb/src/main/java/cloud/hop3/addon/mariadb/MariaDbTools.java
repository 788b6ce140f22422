package cloud.hop3.addon.mariadb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import cloud.hop3.api.addon.AddonException;

/**
 * Runs MariaDB's own client and dump tool on a {@link MariaDbConnection}: SQL goes to the
 * client's standard input (never its command line, where passwords would show), rows come back
 * tab-separated, dumps and restores stream through. A tool that fails becomes an
 * {@link AddonException} with its own error lines. Stateless; any thread.
 */
final class MariaDbTools {

    private static final Duration SQL_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STREAM_TIMEOUT = Duration.ofHours(6);
    private static final String PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
    /**
     * A thread of its own for each stream a tool reads or writes: a shared pool could hold a
     * restore's input back behind another tool's error reader until that tool exits.
     */
    private static final Executor STREAMS = task -> {
        Thread thread = new Thread(task, "hop3-mariadb-stream");
        thread.setDaemon(true);
        thread.start();
    };

    private MariaDbTools() {
    }

    /** Runs an SQL script; the client stops at its first error, which is thrown. */
    static void execute(MariaDbConnection connection, String script) throws AddonException {
        run(connection, MariaDbBinaries.client(), List.of("--batch"), script);
    }

    /** The rows of one query, each a list of its columns' values (NULL as {@code "NULL"}). */
    static List<List<String>> query(MariaDbConnection connection, String sql) throws AddonException {
        String output = run(connection, MariaDbBinaries.client(), List.of("--batch", "--skip-column-names"), sql);
        List<List<String>> rows = new ArrayList<>();
        output.lines().forEach(line -> rows.add(List.of(line.split("\t", -1))));
        return rows;
    }

    /** The single value of a query that returns one row of one column. */
    static String value(MariaDbConnection connection, String sql) throws AddonException {
        List<List<String>> rows = query(connection, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new AddonException("MariaDB answered " + rows + " to " + sql);
        }
        return rows.get(0).get(0);
    }

    /**
     * The exact row count of every table of {@code database}, by one {@code COUNT(*)} per table in
     * one statement; tables are answered by position, so no name has to survive the client's output.
     */
    static Map<String, Long> count(MariaDbConnection connection, String database) throws AddonException {
        String schema = MariaDbStatements.id(database); // checks the name, which the literal below then holds safely
        List<String> tables = new ArrayList<>();
        for (List<String> row : query(connection, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + database + "' AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1")) {
            tables.add(row.get(0));
        }
        Map<String, Long> counts = new TreeMap<>();
        if (tables.isEmpty()) {
            return counts;
        }
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < tables.size(); i++) {
            sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", COUNT(*) FROM ")
                    .append(schema).append(".`").append(tables.get(i).replace("`", "``")).append('`');
        }
        for (List<String> row : query(connection, sql.toString())) {
            counts.put(tables.get(Integer.parseInt(row.get(0))), Long.parseLong(row.get(1)));
        }
        return counts;
    }

    /**
     * Writes {@code mariadb-dump --single-transaction --routines --triggers} of {@code database}
     * to {@code out}: one consistent snapshot of its tables, with its procedures and triggers.
     */
    static void dump(MariaDbConnection connection, String database, OutputStream out) throws AddonException {
        stream(connection.command(MariaDbBinaries.dump(), List.of("--single-transaction", "--routines", "--triggers",
                "--events", "--hex-blob", database)), connection, null, out, "mariadb-dump of " + database);
    }

    /** Runs the SQL of a dump from {@code in} in {@code database}. */
    static void load(MariaDbConnection connection, String database, InputStream in) throws AddonException {
        stream(connection.command(MariaDbBinaries.client(), List.of("--batch", database)), connection, in,
                OutputStream.nullOutputStream(), "restore into " + database);
    }

    private static String run(MariaDbConnection connection, Path program, List<String> arguments, String script)
            throws AddonException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String what = "mariadb";
        exec(connection.command(program, arguments), connection,
                new java.io.ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, what, SQL_TIMEOUT);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void stream(List<String> command, MariaDbConnection connection, InputStream in, OutputStream out,
                               String what) throws AddonException {
        exec(command, connection, in, out, what, STREAM_TIMEOUT);
    }

    private static void exec(List<String> command, MariaDbConnection connection, InputStream in, OutputStream out,
                             String what, Duration timeout) throws AddonException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", PATH);
        builder.environment().put("LANG", "C.UTF-8");
        builder.environment().putAll(connection.env());
        if (in == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AddonException("Could not run " + what + ": " + e.getMessage(), e);
        }
        // a tool that hangs (a lock wait, a server that stopped answering) is killed at its deadline,
        // which also ends the read of its output below
        long deadline = System.nanoTime() + timeout.toNanos();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, STREAMS)
                .execute(process::destroyForcibly);
        CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), STREAMS);
        CompletableFuture<Void> feeding = in == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> feed(in, process.getOutputStream()), STREAMS);
        try {
            try (InputStream output = process.getInputStream()) {
                output.transferTo(out);
            }
            process.waitFor();
            if (System.nanoTime() >= deadline) {
                throw new AddonException(what + " took longer than " + timeout.toSeconds() + " s and was stopped");
            }
            String stderr = new String(errors.get(), StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw new AddonException(what + " failed: " + (stderr.isEmpty() ? "exit code " + process.exitValue() : stderr));
            }
            feeding.get();
        } catch (IOException e) {
            process.destroyForcibly();
            throw new AddonException(what + " failed: " + e.getMessage(), e);
        } catch (ExecutionException e) {
            process.destroyForcibly();
            throw new AddonException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AddonException(what + " was interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void feed(InputStream in, OutputStream stdin) {
        try (stdin) {
            in.transferTo(stdin);
        } catch (IOException e) {
            // the tool exited before reading everything: its exit code and error lines say why
            if (!"Broken pipe".equals(e.getMessage()) && !"Stream closed".equals(e.getMessage())) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
