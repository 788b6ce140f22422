package cloud.hop3.core.impl.process;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where a reader of an app's logs is in each process's output: the text of
 * {@link cloud.hop3.api.process.LogChunk#next()}, such as {@code web.1:5120,worker.1:88}. A process
 * that the cursor does not name started after it was made, and is read from its start.
 */
record LogCursor(Map<String, Long> positions) {

    /** A process ({@code web.1}, as its log file is named) and its position. */
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9_.-]{1,200}:-?[0-9]{1,19}");

    LogCursor {
        positions = Map.copyOf(positions);
    }

    /**
     * Reads a cursor as {@link #toString()} wrote it.
     *
     * @throws IllegalArgumentException when it is not one
     */
    static LogCursor parse(String text) {
        Map<String, Long> positions = new TreeMap<>();
        if (text == null) {
            throw new IllegalArgumentException("A log position is required; start with the tail of the logs.");
        }
        if (!text.isEmpty()) {
            for (String entry : text.split(",", -1)) {
                if (!ENTRY.matcher(entry).matches()) {
                    throw new IllegalArgumentException("Not a log position: '" + shorten(text) + "'; use the position that the last read of the logs returned.");
                }
                int colon = entry.lastIndexOf(':');
                try {
                    positions.put(entry.substring(0, colon), Long.parseLong(entry.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Not a log position: '" + shorten(text) + "'.", e);
                }
            }
        }
        return new LogCursor(positions);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(positions).forEach((process, position) -> {
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(process).append(':').append(position);
        });
        return text.toString();
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }
}
