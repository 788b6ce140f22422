package cloud.hop3.addon.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.plugin.support.sql.QuotedIdentifiers;

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
            Finished<Void> finished = pipe(builder, in, stdout -> {
                stdout.transferTo(out != null ? out : OutputStream.nullOutputStream());
                return null;
            });
            if (finished.exit() != 0) {
                throw new AddonException(tool + " of " + c.database() + " on " + c.address() + " failed: "
                        + EmbeddedPostgres.lastLines(finished.errors()));
            }
        } catch (IOException e) {
            throw new AddonException(tool + " of " + c.database() + " on " + c.address() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted during " + tool + " of " + c.database(), e);
        }
    }

    /** Reads what a tool writes on its standard output. */
    @FunctionalInterface
    private interface Output<T> {
        T read(InputStream stdout) throws IOException;
    }

    /** How a tool ended: its exit code, what {@link Output} read, and what it wrote on its standard error. */
    private record Finished<T>(int exit, T output, String errors) {
    }

    /**
     * Starts the tool of {@code builder}, feeds it {@code in} (nothing when null) and reads its
     * standard error on other threads while {@code output} reads its standard output, and waits for
     * it to end.
     */
    private static <T> Finished<T> pipe(ProcessBuilder builder, InputStream in, Output<T> output)
            throws IOException, InterruptedException {
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
        T read;
        try (InputStream stdout = process.getInputStream()) {
            read = output.read(stdout);
        }
        int exit = process.waitFor();
        feeding.join();
        return new Finished<>(exit, read, exit == 0 ? "" : errors.join());
    }

    /**
     * The change mark of {@code c}'s database, read as a superuser ({@code pg_control_system} is
     * theirs): the cluster's system identifier, the database's oid, the server's version, the
     * server's current snapshot ({@code pg_current_snapshot()}: xmin, xmax and the transactions
     * in progress), and a digest of every sequence's {@code last_value} and {@code is_called}.
     * <p>
     * What a dump holds changes only by a transaction that commits, and a transaction that
     * changes anything has a transaction id. The snapshot changes whenever a transaction with an
     * id ends: one that was in progress leaves the list, one newer than xmax raises xmax
     * (latestCompletedXid + 1). Transaction ids are 64 bits there, so never repeat. Sequences are
     * the exception: {@code nextval} changes a value without a transaction id (and writes WAL only
     * once per 32 values), hence their values, read directly from each sequence.
     * <p>
     * The WAL insert position is not used: it moves also without a change of data (a reader, such
     * as {@code pg_dump} itself, pruning catalog pages; a checkpoint or a RUNNING_XACTS record
     * after activity), which would make every backup after a dump dump again. The mark moves
     * without a change of this database when any transaction with an id ends on the server
     * (another database's writes, an autoanalyze): that costs a dump, never a missed change.
     * Read before the dump, the mark is older than the dump's snapshot: a commit between the two
     * moves the next mark.
     */
    static String changeMark(Psql psql, PostgresConnection superuser) throws AddonException {
        List<List<String>> rows = psql.query(superuser, "SELECT 'mark', (SELECT system_identifier FROM pg_control_system()),"
                + " d.oid, current_setting('server_version_num'), pg_current_snapshot()"
                + " FROM pg_database d WHERE d.datname = current_database();\n"
                + "SELECT format('SELECT %L, last_value, is_called FROM %I.%I', 'seq ' || c.oid, n.nspname, c.relname)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'S' AND c.relpersistence <> 't' ORDER BY c.oid\n\\gexec\n");
        if (rows.isEmpty() || rows.get(0).size() != 5 || !rows.get(0).get(0).equals("mark")
                || rows.get(0).stream().anyMatch(String::isEmpty)) {
            throw new AddonException("PostgreSQL answered " + rows + " when asked for the change mark of " + superuser.database());
        }
        MessageDigest sequences;
        try {
            sequences = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (List<String> row : rows.subList(1, rows.size())) {
            if (row.size() != 3 || !row.get(0).startsWith("seq ")) {
                throw new AddonException("psql answered " + row + " when asked for a sequence's value");
            }
            sequences.update((String.join(" ", row) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "pg " + String.join(" ", rows.get(0).subList(1, 5)) + " "
                + HexFormat.of().formatHex(sequences.digest()).substring(0, 32);
    }

    /**
     * The exact row count of every table of the add-on's database ({@code schema.table}), by one
     * {@code count(*)} per table that psql's {@code \gexec} runs.
     */
    static Map<String, Long> count(Psql psql, PostgresConnection c) throws AddonException {
        List<List<String>> rows = psql.query(c, "SELECT format('SELECT %L, count(*) FROM %I.%I',"
                + " n.nspname || '.' || c.relname, n.nspname, c.relname)"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                + " AND n.nspname NOT LIKE 'pg\\_%' ORDER BY 1\n\\gexec\n");
        Map<String, Long> counts = new TreeMap<>();
        for (List<String> row : rows) {
            if (row.size() != 2) {
                throw new AddonException("psql answered " + row + " to a row count");
            }
            counts.put(row.get(0), Long.parseLong(row.get(1)));
        }
        return counts;
    }

    /**
     * The rows of each table a custom-format dump holds, in the keys of {@link #count}: the data
     * section that {@code pg_restore --data-only -f -} prints is one {@code COPY schema.table ...
     * FROM stdin;} block per table, one line per row (COPY's text format escapes newlines and
     * backslashes, so a row never spans lines and only the block's end is a bare {@code \.}).
     * No server is involved.
     */
    static Map<String, Long> countDump(Path pgRestore, InputStream dump) throws AddonException {
        ProcessBuilder builder = new ProcessBuilder(pgRestore.toString(), "--data-only", "-f", "-");
        try {
            Finished<Map<String, Long>> finished = pipe(builder, dump,
                    stdout -> countCopyBlocks(new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8))));
            if (finished.exit() != 0) {
                throw new AddonException("pg_restore could not read the dump: " + EmbeddedPostgres.lastLines(finished.errors()));
            }
            return finished.output();
        } catch (IOException e) {
            throw new AddonException("pg_restore could not read the dump: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted while counting the rows of a dump", e);
        }
    }

    /** Counts the lines of each {@code COPY ... FROM stdin;} block of a SQL script, by table. */
    static Map<String, Long> countCopyBlocks(BufferedReader script) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        String table = null;
        long rows = 0;
        for (String line; (line = script.readLine()) != null; ) {
            if (table != null) {
                if (line.equals("\\.")) {
                    counts.merge(table, rows, Long::sum);
                    table = null;
                } else {
                    rows++;
                }
            } else if (line.startsWith("COPY ") && line.endsWith(" FROM stdin;")) {
                table = copiedTable(line.substring("COPY ".length()));
                rows = 0;
            }
        }
        if (table != null) {
            throw new IOException("the dump's data of " + table + " has no end");
        }
        return counts;
    }

    /** {@code schema.table}, unquoted, from the start of {@code "my schema"."t" (a, b) FROM stdin;}. */
    private static String copiedTable(String rest) throws IOException {
        StringBuilder name = new StringBuilder();
        int i = 0;
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                if (i >= rest.length() || rest.charAt(i) != '.') {
                    throw new IOException("unexpected COPY line: COPY " + rest);
                }
                name.append('.');
                i++;
            }
            if (i < rest.length() && rest.charAt(i) == '"') {
                i = QuotedIdentifiers.read(rest, i + 1, '"', name);
                if (i < 0) {
                    throw new IOException("unexpected COPY line: COPY " + rest);
                }
            } else {
                while (i < rest.length() && rest.charAt(i) != '.' && rest.charAt(i) != ' ') {
                    name.append(rest.charAt(i++));
                }
            }
        }
        return name.toString();
    }
}
