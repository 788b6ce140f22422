package cloud.hop3.plugin.support.process;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** How commands and durations are written in messages for people. */
final class CommandText {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CommandText() {
    }

    /** The command as it would be typed in a POSIX shell: {@code sh -c 'echo a; exit 3'}. */
    static String shown(List<String> command) {
        return command.stream().map(CommandText::quoted).collect(Collectors.joining(" "));
    }

    private static String quoted(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** {@code 15 minutes}, {@code 1 hour 30 minutes}, {@code 2 seconds}, {@code 1.5 seconds}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0 && millis < 60_000) {
            BigDecimal seconds = BigDecimal.valueOf(millis, 3).stripTrailingZeros();
            return seconds.toPlainString() + " seconds";
        }
        long seconds = Math.max(1, Math.round(millis / 1000.0));
        List<String> parts = new ArrayList<>();
        unit(parts, seconds / 3600, "hour");
        unit(parts, seconds % 3600 / 60, "minute");
        unit(parts, seconds % 60, "second");
        return String.join(" ", parts);
    }

    private static void unit(List<String> parts, long count, String name) {
        if (count > 0) {
            parts.add(count + " " + name + (count == 1 ? "" : "s"));
        }
    }
}
