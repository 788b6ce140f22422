package cloud.hop3.builder.ruby;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.plugin.support.build.AppFiles;
import cloud.hop3.plugin.support.build.Procfile;

/**
 * What this builder reads of a Ruby app's files, without running anything: whether it is a Ruby
 * app, and the command of its Procfile's web process. Only files whose real path stays inside the
 * app count, so a link out of the repository claims nothing.
 */
final class RubyProject {

    static final String GEMFILE = "Gemfile";
    static final String LOCKFILE = "Gemfile.lock";
    static final String RACKUP_FILE = "config.ru";

    /** Programs whose Procfile web line makes a Ruby app of a tree with .rb files. */
    static final Set<String> RUBY_PROGRAMS = Set.of("ruby", "rackup", "puma", "thin", "falcon", "unicorn", "rails");
    /** Web server gems that rackup can run an app with. */
    static final Set<String> RACK_SERVERS = Set.of("puma", "thin", "falcon", "webrick");

    private static final Pattern PREFIX = Pattern.compile("^(exec\\s+|[A-Za-z_][A-Za-z0-9_]*=\\S*\\s+|bundle\\s+exec\\s+)");
    private static final Pattern LOCKED_SPEC = Pattern.compile("^ {4}([A-Za-z0-9_.-]+) \\(", Pattern.MULTILINE);

    private RubyProject() {
    }

    /** Why {@code source} is a Ruby app ({@code found Gemfile}); empty when it is not. */
    static Optional<String> detect(Path source) {
        try {
            Path root = source.toRealPath();
            Optional<String> marker = AppFiles.found(root, GEMFILE, RACKUP_FILE);
            if (marker.isPresent()) {
                return marker;
            }
            if (AppFiles.inside(root, root.resolve(Procfile.FILE_NAME)) && runsRuby(webCommand(root).orElse("")) && hasRubyFile(root)) {
                return Optional.of("found a Procfile whose web process runs Ruby");
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable tree is not claimed
        }
        return Optional.empty();
    }

    /** The command of the Procfile's {@code web} line, when the app has one. */
    static Optional<String> webCommand(Path dir) throws IOException {
        return Procfile.read(dir).flatMap(procfile -> procfile.command("web"));
    }

    /** Whether a command runs a Ruby program, after {@code exec}, variable assignments and {@code bundle exec}. */
    static boolean runsRuby(String command) {
        String rest = command.strip();
        Matcher m = PREFIX.matcher(rest);
        while (m.lookingAt()) {
            rest = rest.substring(m.end());
            m = PREFIX.matcher(rest);
        }
        if (rest.isEmpty()) {
            return false;
        }
        String program = rest.split("\\s+", 2)[0];
        String name = program.substring(program.lastIndexOf('/') + 1);
        return RUBY_PROGRAMS.contains(name) || name.endsWith(".rb");
    }

    /** Whether Gemfile.lock (as Bundler left it) holds a web server gem that rackup can run the app with. */
    static boolean locksARackServer(Path dir) throws IOException {
        Path lockfile = dir.resolve(LOCKFILE);
        if (!Files.isRegularFile(lockfile)) {
            return false;
        }
        Matcher m = LOCKED_SPEC.matcher(Files.readString(lockfile, StandardCharsets.UTF_8));
        while (m.find()) {
            if (RACK_SERVERS.contains(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasRubyFile(Path root) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*.rb")) {
            for (Path file : files) {
                if (AppFiles.inside(root, file)) {
                    return true;
                }
            }
        }
        return false;
    }

}
