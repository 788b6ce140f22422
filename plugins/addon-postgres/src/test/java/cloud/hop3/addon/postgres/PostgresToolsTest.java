package cloud.hop3.addon.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.plugin.testkit.TestFiles;

/**
 * How PostgresTools runs pg_dump and pg_restore: what goes in and out of them and how their
 * failure reads. Scripts stand for the tools, so that no server runs.
 */
class PostgresToolsTest {

    static final PostgresConnection SHOP = new PostgresConnection("127.0.0.1", 5499, "shop", "pa ss", "shop_db");

    @TempDir
    Path tmp;

    @Test
    void aDumpIsWhatTheToolWritesWithTheRolesPasswordInItsEnvironment() throws Exception {
        Path pgDump = TestFiles.executable(tmp.resolve("pg_dump"), "#!/bin/sh\nprintf '%s|' \"$@\" \"$PGPASSWORD\"\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        PostgresTools.dump(pgDump, SHOP, out);

        assertEquals("-Fc|--no-password|-h|127.0.0.1|-p|5499|-U|shop|-d|shop_db|pa ss|", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRestoreFeedsTheDumpToTheTool() throws Exception {
        Path fed = tmp.resolve("fed");
        Path pgRestore = TestFiles.executable(tmp.resolve("pg_restore"), "#!/bin/sh\ncat > '" + fed + "'\n");

        PostgresTools.restore(pgRestore, SHOP, "shop_owner", new ByteArrayInputStream("the dump".getBytes()));

        assertEquals("the dump", Files.readString(fed));
    }

    @Test
    void aFailedToolSaysItsLastLinesOfError() throws Exception {
        Path pgDump = TestFiles.executable(tmp.resolve("pg_dump"), "#!/bin/sh\necho partial\necho 'pg_dump: error: no"
                + " such database' >&2\nexit 1\n");

        AddonException e = assertThrows(AddonException.class,
                () -> PostgresTools.dump(pgDump, SHOP, new ByteArrayOutputStream()));

        assertEquals("pg_dump of shop_db on 127.0.0.1:5499 failed: pg_dump: error: no such database", e.getMessage());
    }

    @Test
    void theRowsOfADumpAreCountedFromWhatPgRestorePrints() throws Exception {
        Path pgRestore = TestFiles.executable(tmp.resolve("pg_restore"), "#!/bin/sh\ncat > /dev/null\n"
                + "printf 'SET x = 1;\\nCOPY public.t (v) FROM stdin;\\na\\nb\\n\\\\.\\n"
                + "COPY \"odd Schema\".\"We\"\"ird\" (v) FROM stdin;\\n\\\\.\\n'\n");

        Map<String, Long> counts = PostgresTools.countDump(pgRestore, new ByteArrayInputStream(new byte[100_000]));

        assertEquals(Map.of("public.t", 2L, "odd Schema.We\"ird", 0L), counts);
    }

    @Test
    void aDumpThatPgRestoreCannotReadIsRefused() throws Exception {
        Path pgRestore = TestFiles.executable(tmp.resolve("pg_restore"), "#!/bin/sh\n"
                + "echo 'pg_restore: error: input file does not appear to be a valid archive' >&2\nexit 1\n");

        AddonException e = assertThrows(AddonException.class,
                () -> PostgresTools.countDump(pgRestore, new ByteArrayInputStream("not a dump".getBytes())));

        assertEquals("pg_restore could not read the dump: pg_restore: error: input file does not appear to be a valid"
                + " archive", e.getMessage());
    }
}
