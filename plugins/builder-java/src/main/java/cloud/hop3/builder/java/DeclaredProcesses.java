package cloud.hop3.builder.java;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.plugin.support.build.Procfile;

/**
 * The long-running process types that an app declares itself, in its Procfile ({@code name:
 * command} lines) or hop3.toml ({@code [run] start} is {@code web}; {@code [run.workers]} names
 * others). Core parses and checks both files; this only tells the builder whether its default web
 * process is needed, so a rough reading is enough: a file that core refuses fails the deploy anyway.
 */
final class DeclaredProcesses {

    private static final Pattern TOML_SECTION = Pattern.compile("\\s*\\[\\s*([A-Za-z0-9_.\\-\"]+)\\s*]\\s*(#.*)?");
    private static final Pattern TOML_KEY = Pattern.compile("\\s*\"?([A-Za-z0-9_-]+)\"?\\s*=.*");

    private DeclaredProcesses() {
    }

    /** The process types that the app in {@code dir} declares; empty when it declares none. */
    static Set<String> of(Path dir) {
        Set<String> types = new LinkedHashSet<>();
        try {
            Procfile.read(dir).ifPresent(procfile -> procfile.longRunning().forEach(entry -> types.add(entry.name())));
        } catch (IOException | RuntimeException e) {
            // an unreadable Procfile declares nothing here; core reports it
        }
        String section = "";
        for (String line : lines(dir.resolve("hop3.toml"))) {
            Matcher s = TOML_SECTION.matcher(line);
            Matcher k = TOML_KEY.matcher(line);
            if (s.matches()) {
                section = s.group(1).replace("\"", "");
            } else if (k.matches()) {
                if (section.equals("run") && k.group(1).equals("start")) {
                    types.add("web");
                } else if (section.equals("run.workers") && !k.group(1).equals("cron")) {
                    types.add(k.group(1));
                }
            }
        }
        return types;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
