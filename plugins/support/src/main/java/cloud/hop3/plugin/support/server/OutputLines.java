package cloud.hop3.plugin.support.server;

import java.util.List;

/**
 * The lines of what a server program printed or logged, as the proxy plugins read them to pick
 * out its error messages: each line stripped of surrounding white space, blank lines left out.
 */
public final class OutputLines {

    private OutputLines() {
    }

    /** The non-blank lines of {@code output}, stripped, in order. */
    public static List<String> of(String output) {
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
