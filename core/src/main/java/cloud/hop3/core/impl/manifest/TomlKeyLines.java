package cloud.hop3.core.impl.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line on which each key and table of a TOML document is written, for error messages: the
 * TOML parser builds a tree without positions. This is a second, lenient pass over a document
 * that the parser has already accepted; on anything it does not understand it stops and knows
 * fewer lines, and it never throws.
 * <p>
 * A path is the list of keys from the root ({@code ["build", "before-build"]}); the elements of
 * arrays of tables share their array's path, and the first occurrence wins. A dotted key or table
 * header also records each of its prefixes, when they have no line yet.
 */
final class TomlKeyLines {

    private static final int MAX_DEPTH = 100;

    /** Thrown inside the scanner to stop at text it does not understand. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private final String s;
    private final Map<List<String>, Integer> lines = new HashMap<>();
    private final Map<List<String>, Integer> keysInScope = new HashMap<>();
    private int pos;
    private int line = 1;
    private int duplicateLine;

    private TomlKeyLines(String text) {
        this.s = text;
    }

    /** Scans a document. */
    static TomlKeyLines scan(String text) {
        TomlKeyLines index = new TomlKeyLines(text);
        try {
            index.document();
        } catch (RuntimeException e) {
            // Stop, or a surprise: keep what was found before the text stopped making sense.
        }
        return index;
    }

    /** The line of a key or table, or 0 when it is not known. */
    int line(List<String> path) {
        return lines.getOrDefault(path, 0);
    }

    /** The line of the path, else of its closest ancestor that has one, else 0. */
    int lineOrAncestor(List<String> path) {
        for (int n = path.size(); n > 0; n--) {
            int found = line(path.subList(0, n));
            if (found > 0) {
                return found;
            }
        }
        return 0;
    }

    /** The first line on which a key is given a second time in the same table, or 0. */
    int duplicateLine() {
        return duplicateLine;
    }

    private void document() {
        List<String> table = List.of();
        while (true) {
            skipBlank(true);
            if (pos >= s.length()) {
                return;
            }
            if (s.charAt(pos) == '[') {
                boolean arrayTable = s.startsWith("[[", pos);
                int headerLine = line;
                pos += arrayTable ? 2 : 1;
                table = key();
                skipSpaces();
                expect(']');
                if (arrayTable) {
                    expect(']');
                }
                record(table, headerLine);
                keysInScope.clear();
            } else {
                keyValue(table, 0, true);
            }
        }
    }

    private void keyValue(List<String> table, int depth, boolean checkDuplicates) {
        int keyLine = line;
        List<String> path = concat(table, key());
        record(path, keyLine);
        if (checkDuplicates && keysInScope.putIfAbsent(path, keyLine) != null && duplicateLine == 0) {
            duplicateLine = keyLine;
        }
        skipSpaces();
        expect('=');
        skipSpaces();
        value(path, depth + 1);
    }

    private void value(List<String> path, int depth) {
        if (depth > MAX_DEPTH || pos >= s.length()) {
            throw new Stop();
        }
        char c = s.charAt(pos);
        if (c == '"' || c == '\'') {
            string();
        } else if (c == '[') {
            pos++;
            while (true) {
                skipBlank(true);
                if (at(']')) {
                    pos++;
                    return;
                }
                value(path, depth + 1);
                skipBlank(true);
                if (at(',')) {
                    pos++;
                }
            }
        } else if (c == '{') {
            pos++;
            while (true) {
                skipSpaces();
                if (at('}')) {
                    pos++;
                    return;
                }
                keyValue(path, depth + 1, false);
                skipSpaces();
                if (at(',')) {
                    pos++;
                }
            }
        } else {
            int start = pos;
            while (pos < s.length() && " \t\r\n,]}#".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            if (pos == start) {
                throw new Stop();
            }
        }
    }

    /** A dotted key: bare, "basic" or 'literal' parts separated by dots. */
    private List<String> key() {
        List<String> parts = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (pos >= s.length()) {
                throw new Stop();
            }
            char c = s.charAt(pos);
            if (c == '"' || c == '\'') {
                parts.add(string());
            } else {
                int start = pos;
                while (pos < s.length() && isBareKeyChar(s.charAt(pos))) {
                    pos++;
                }
                if (pos == start) {
                    throw new Stop();
                }
                parts.add(s.substring(start, pos));
            }
            skipSpaces();
            if (!at('.')) {
                return parts;
            }
            pos++;
        }
    }

    /** Reads a string of any of the four kinds and returns its content (escapes roughly undone). */
    private String string() {
        char quote = s.charAt(pos);
        String triple = String.valueOf(quote).repeat(3);
        boolean multiline = s.startsWith(triple, pos);
        pos += multiline ? 3 : 1;
        StringBuilder content = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\\' && quote == '"' && pos + 1 < s.length()) {
                char escaped = s.charAt(pos + 1);
                if (escaped == '\n') {
                    line++;
                }
                content.append(escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped);
                pos += 2;
                continue;
            }
            if (multiline ? s.startsWith(triple, pos) : c == quote) {
                pos += multiline ? 3 : 1;
                // A multi-line string may end with up to two more quotes that belong to it.
                while (multiline && at(quote)) {
                    pos++;
                }
                return content.toString();
            }
            if (c == '\n') {
                if (!multiline) {
                    throw new Stop();
                }
                line++;
            }
            content.append(c);
            pos++;
        }
        throw new Stop();
    }

    private void skipSpaces() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }

    /** Skips spaces, comments and, when asked, line ends. */
    private void skipBlank(boolean newlines) {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '\n' && newlines) {
                line++;
                pos++;
            } else if (c == '#') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private boolean at(char c) {
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!at(c)) {
            throw new Stop();
        }
        pos++;
    }

    private void record(List<String> path, int at) {
        for (int n = 1; n <= path.size(); n++) {
            lines.putIfAbsent(List.copyOf(path.subList(0, n)), at);
        }
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
