package cloud.hop3.addon.mariadb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Counting the rows of a mariadb-dump script, without a server: the script is text. */
class MariaDbDumpCountsTest {

    @Test
    void everyTableCountsAndEachInsertAddsItsRowTuples() throws IOException {
        String dump = """
                CREATE TABLE `t` (
                  `v` text
                );
                INSERT INTO `t` VALUES ('a),(b'),('it''s \\'quoted\\' ('),
                ('two
                lines;');
                CREATE TABLE `we``ird café` (`v` text);
                INSERT INTO `we``ird café` VALUES (NULL);
                CREATE TABLE `empty` (`i` int);
                """;

        assertEquals(Map.of("t", 3L, "we`ird café", 1L, "empty", 0L), count(dump));
    }

    @Test
    void aNameWithoutItsClosingQuoteIsRefused() {
        IOException e = assertThrows(IOException.class, () -> count("CREATE TABLE `unfinished\n"));

        assertEquals("unexpected line in the dump: CREATE TABLE `unfinished", e.getMessage());
    }

    private static Map<String, Long> count(String dump) throws IOException {
        return MariaDbDumpCounts.count(new ByteArrayInputStream(dump.getBytes(StandardCharsets.UTF_8)));
    }
}
