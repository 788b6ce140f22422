package cloud.hop3.builder.node;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Picks npm's reason for failing out of its last lines of output: the {@code npm error} lines
 * ({@code npm ERR!} before npm 10) without the error code lines, the stack trace, the dump of the
 * error object and the pointer to the log file.
 */
final class NpmErrors {

    static final int MAX_REASONS = 2;

    private static final Pattern PREFIX = Pattern.compile("^npm (?:error|ERR!) ?");
    private static final Pattern NOISE = Pattern.compile(
            "(code|errno|syscall) \\S+|[{}].*|A complete log of this run can be found in.*"
                    + "|Log files were not written.*|\\d{3}");

    private NpmErrors() {
    }

    static List<String> reasons(List<String> output) {
        List<String> reasons = new ArrayList<>();
        for (String line : output) {
            var prefix = PREFIX.matcher(line);
            if (!prefix.lookingAt()) {
                continue;
            }
            String text = line.substring(prefix.end());
            if (text.isBlank() || Character.isWhitespace(text.charAt(0)) || NOISE.matcher(text).matches()) {
                continue;
            }
            reasons.add(text.replaceAll("\\s{2,}", " ").strip());
            if (reasons.size() == MAX_REASONS) {
                break;
            }
        }
        return reasons;
    }
}
