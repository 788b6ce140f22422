package cloud.hop3.plugin.support.sql;

/**
 * SQL identifiers in quotes, as database dumps write the names of schemas and tables: PostgreSQL
 * between {@code "}, MariaDB between {@code `}, and in both a quote inside the name doubled.
 * The add-ons that count the rows of a dump read the names with this.
 */
public final class QuotedIdentifiers {

    private QuotedIdentifiers() {
    }

    /**
     * Reads the name that starts at {@code from}, just after its opening {@code quote}, appending
     * it, unquoted, to {@code name}.
     *
     * @return the index just after the closing quote, or -1 when {@code text} ends before it
     */
    public static int read(String text, int from, char quote, StringBuilder name) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i++);
            if (c != quote) {
                name.append(c);
            } else if (i < text.length() && text.charAt(i) == quote) {
                name.append(quote);
                i++;
            } else {
                return i;
            }
        }
        return -1;
    }
}
