package cloud.hop3.builder.php;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Picks Composer's reason for failing out of its last lines of output: the message of the
 * exception block that follows {@code In SomeFile.php line 12:} (its indented lines, up to a blank
 * or unindented one such as the command's usage), or the problems listed after {@code Your requirements could not be
 * resolved}.
 */
final class ComposerErrors {

    static final int MAX_REASONS = 3;

    private static final Pattern EXCEPTION = Pattern.compile("In \\S+ line \\d+:\\s*");
    private static final Pattern PROBLEM = Pattern.compile("\\s+- (.+)");
    /** The pointer under a JSON syntax error: {@code ------^}. */
    private static final Pattern POINTER = Pattern.compile("-*\\^");

    private ComposerErrors() {
    }

    static List<String> reasons(List<String> output) {
        List<String> reasons = new ArrayList<>();
        boolean unresolvable = false;
        StringBuilder exception = null;
        for (String line : output) {
            String text = line.strip();
            if (exception != null) {
                boolean inBlock = !text.isEmpty() && line.startsWith(" ");
                if (!inBlock && exception.length() > 0) {
                    reasons.add(exception.toString());
                    exception = null;
                } else if (inBlock && !POINTER.matcher(text).matches()) {
                    exception.append(exception.length() > 0 ? " " : "").append(text);
                }
            } else if (EXCEPTION.matcher(line).matches()) {
                exception = new StringBuilder();
            } else if (line.startsWith("Your requirements could not be resolved")) {
                unresolvable = true;
            } else if (unresolvable && PROBLEM.matcher(line).matches()) {
                reasons.add(text.substring(2));
            } else if (unresolvable && !text.isEmpty() && !line.startsWith(" ")) {
                unresolvable = false;
            }
        }
        if (exception != null && exception.length() > 0) {
            reasons.add(exception.toString());
        }
        return reasons.subList(0, Math.min(MAX_REASONS, reasons.size()));
    }
}
