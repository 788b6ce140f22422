package cloud.hop3.builder.java;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the reason of a failed Maven or Gradle build out of its last lines of output, for the
 * one-line message of a failed push: the compiler's errors first (file, line and message, with
 * the file relative to the app), else Maven's {@code [ERROR]} lines or what Gradle says under
 * {@code * What went wrong:}, without the lines that only point to help pages.
 */
final class BuildToolErrors {

    static final int MAX_REASONS = 3;

    /** Terminal colour codes, which some Maven packages print even in batch mode. */
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final String MAVEN_ERROR = "[ERROR]";
    private static final Pattern HELP = Pattern.compile("\\s*-> \\[Help \\d+]$");
    /** javac's errors as Maven prints them: {@code /path/App.java:[6,23] ';' expected}. */
    private static final Pattern MAVEN_COMPILER = Pattern.compile("(\\S+\\.(?:java|kt|groovy|scala)):\\[(\\d+),(\\d+)] (.+)");
    /** javac's errors as Gradle prints them: {@code /path/App.java:6: error: ';' expected}. */
    private static final Pattern JAVAC = Pattern.compile("(\\S+\\.java):(\\d+): error: (.+)");
    private static final Pattern MAVEN_NOISE = Pattern.compile(
            "|-> \\[Help \\d+]|\\[Help \\d+] .*|To see the full stack trace.*|Re-run Maven using.*"
                    + "|For more information about the errors.*|COMPILATION ERROR :?|After correcting the problems.*"
                    + "|\\s*mvn <args> -rf .*");

    private BuildToolErrors() {
    }

    /** A line without terminal colour codes. */
    static String plain(String line) {
        return ANSI.matcher(line).replaceAll("");
    }

    /**
     * @param output the tool's last lines of output
     * @param slug   the app's directory, left out of file names
     * @return at most {@value #MAX_REASONS} reasons, most telling first; empty when none is found
     */
    static List<String> reasons(List<String> output, String slug) {
        Set<String> compiler = new LinkedHashSet<>();
        Set<String> maven = new LinkedHashSet<>();
        List<String> gradle = new ArrayList<>();
        boolean wentWrong = false;
        for (String raw : output) {
            String line = plain(raw).stripTrailing();
            boolean mavenError = line.startsWith(MAVEN_ERROR);
            String text = mavenError ? line.substring(MAVEN_ERROR.length()).strip() : line.strip();
            Matcher m = MAVEN_COMPILER.matcher(text);
            Matcher j = JAVAC.matcher(text);
            if (m.matches()) {
                compiler.add(relative(m.group(1), slug) + ":" + m.group(2) + ":" + m.group(3) + ": " + m.group(4));
            } else if (j.matches()) {
                compiler.add(relative(j.group(1), slug) + ":" + j.group(2) + ": " + j.group(3));
            } else if (mavenError) {
                if (!MAVEN_NOISE.matcher(text).matches()) {
                    maven.add(HELP.matcher(text).replaceFirst("").replace(slug + "/", ""));
                }
            } else if (line.startsWith("* What went wrong:")) {
                wentWrong = true;
            } else if (wentWrong) {
                if (line.isBlank() || line.startsWith("* ")) {
                    wentWrong = false;
                } else {
                    gradle.add(text.replaceFirst("^> ", "").replace(slug + "/", ""));
                }
            }
        }
        List<String> reasons = new ArrayList<>(compiler.isEmpty() ? maven.isEmpty() ? gradle : maven : compiler);
        return reasons.subList(0, Math.min(MAX_REASONS, reasons.size()));
    }

    private static String relative(String file, String slug) {
        return file.startsWith(slug + "/") ? file.substring(slug.length() + 1) : file;
    }
}
