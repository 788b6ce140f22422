package cloud.hop3.proxy.nginx;

import java.util.ArrayList;
import java.util.List;

import cloud.hop3.plugin.support.server.OutputLines;

/** Picks nginx's own error lines out of what it printed or logged. */
final class NginxErrors {

    private static final List<String> LEVELS = List.of("[emerg]", "[alert]", "[crit]", "[error]");

    private NginxErrors() {
    }

    /**
     * The lines of {@code output} that report an error, without the {@code nginx: } prefix or a
     * log line's time stamp; when there are none, every non-blank line but nginx's closing verdict.
     */
    static List<String> lines(String output) {
        List<String> errors = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String line : OutputLines.of(output)) {
            int level = -1;
            for (String l : LEVELS) {
                int at = line.indexOf(l);
                if (at >= 0 && (level < 0 || at < level)) {
                    level = at;
                }
            }
            if (level >= 0) {
                // "2026/11/26 00:40:01 [emerg] 1234#1234: message" and "nginx: [emerg] message"
                String text = line.substring(level);
                text = text.replaceFirst("^(\\[[a-z]+\\]) \\d+#\\d+: (\\*\\d+ )?", "$1 ");
                errors.add(text);
            } else if (!line.contains("test failed") && !line.contains("syntax is ok")
                    && !line.contains("test is successful")) {
                others.add(line.startsWith("nginx: ") ? line.substring(7) : line);
            }
        }
        return errors.isEmpty() ? others : errors;
    }

    /** The lines as one message, or {@code fallback} when there are none. */
    static String message(String output, String fallback) {
        List<String> lines = lines(output);
        return lines.isEmpty() ? fallback : String.join("\n", lines);
    }
}
