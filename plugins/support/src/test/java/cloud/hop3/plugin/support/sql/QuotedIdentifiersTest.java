package cloud.hop3.plugin.support.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QuotedIdentifiersTest {

    @Test
    void aNameEndsAtItsClosingQuoteAndADoubledQuoteIsOneQuote() {
        StringBuilder name = new StringBuilder("public.");
        String line = "COPY \"odd Schema\".\"We\"\"ird\" (v) FROM stdin;";

        int end = QuotedIdentifiers.read(line, line.indexOf(".\"") + 2, '"', name);

        assertEquals("public.We\"ird", name.toString());
        assertEquals(" (v) FROM stdin;", line.substring(end));
    }

    @Test
    void backQuotesWorkTheSameWayAndAnEmptyNameIsOne() {
        StringBuilder name = new StringBuilder();
        assertEquals(26, QuotedIdentifiers.read("INSERT INTO `we``ird café` VALUES", 13, '`', name));
        assertEquals("we`ird café", name.toString());

        StringBuilder empty = new StringBuilder();
        assertEquals(2, QuotedIdentifiers.read("``", 1, '`', empty));
        assertEquals("", empty.toString());
    }

    @Test
    void aNameWithoutItsClosingQuoteIsNoName() {
        assertEquals(-1, QuotedIdentifiers.read("CREATE TABLE `unfinished", 14, '`', new StringBuilder()));
        assertEquals(-1, QuotedIdentifiers.read("CREATE TABLE `ends with a doubled ``", 14, '`', new StringBuilder()));
    }
}
