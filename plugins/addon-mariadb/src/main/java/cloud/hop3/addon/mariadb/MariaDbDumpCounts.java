package cloud.hop3.addon.mariadb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import cloud.hop3.plugin.support.sql.QuotedIdentifiers;

/**
 * The rows of each table that a {@code mariadb-dump} script holds, in the keys of
 * {@link MariaDbTools#count} (the table's name): every {@code CREATE TABLE} counts, so an empty
 * table is 0, and each {@code INSERT INTO `t` VALUES (...),(...);} adds its top-level row tuples.
 * Strings are skipped whole, with their backslash escapes and doubled quotes, so that a value
 * holding {@code "),("} or a parenthesis is no row. The script is read as ISO-8859-1, byte for
 * byte (every delimiter is ASCII), and names are decoded as the UTF-8 the dump writes.
 */
final class MariaDbDumpCounts {

    private static final String CREATE = "CREATE TABLE `";
    private static final String INSERT = "INSERT INTO `";

    private MariaDbDumpCounts() {
    }

    static Map<String, Long> count(InputStream dump) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(dump, StandardCharsets.ISO_8859_1), 1 << 16);
        Map<String, Long> counts = new TreeMap<>();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith(CREATE)) {
                counts.putIfAbsent(name(line, CREATE.length()).name, 0L);
            } else if (line.startsWith(INSERT)) {
                Name table = name(line, INSERT.length());
                counts.merge(table.name, rows(in, line, table.end), Long::sum);
            }
        }
        return counts;
    }

    private record Name(String name, int end) {
    }

    /** The back-quoted name that starts after its opening quote at {@code from}. */
    private static Name name(String line, int from) throws IOException {
        StringBuilder name = new StringBuilder();
        int end = QuotedIdentifiers.read(line, from, '`', name);
        if (end < 0) {
            throw new IOException("unexpected line in the dump: " + shorten(line));
        }
        return new Name(new String(name.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8), end);
    }

    /**
     * The row tuples of the INSERT statement in {@code line} after {@code from}, up to its ending
     * {@code ;} outside strings and parentheses; a string that spans lines reads the next ones.
     */
    private static long rows(BufferedReader in, String line, int from) throws IOException {
        long rows = 0;
        int depth = 0;
        boolean quoted = false;
        String text = line;
        int i = from;
        while (true) {
            if (i >= text.length()) {
                text = in.readLine();
                if (text == null) {
                    throw new IOException("the dump ends inside an INSERT statement");
                }
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    if (i < text.length() && text.charAt(i) == '\'') {
                        i++;
                    } else {
                        quoted = false;
                    }
                }
            } else if (c == '\'') {
                quoted = true;
            } else if (c == '(') {
                if (depth == 0) {
                    rows++;
                }
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ';' && depth == 0) {
                return rows;
            }
        }
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
