package cloud.hop3.plugin.support.build;

import java.util.regex.Pattern;

/**
 * Words of the process commands that builders write (a Procfile-like {@code web} command, which
 * {@code /bin/sh} runs): a path or a program name that may hold a space or a quote.
 */
public final class ShellWords {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/+=:@%-]+");

    private ShellWords() {
    }

    /** {@code word} for {@code /bin/sh}: as it is when it is safe, else in single quotes. */
    public static String quoted(String word) {
        return SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
