package cloud.hop3.builder.go;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cloud.hop3.plugin.support.build.AppFiles;

/**
 * What this builder reads of a Go app's files, without running anything: whether it is a Go app
 * at all, its module path, and whether its dependencies are vendored. Only files whose real path
 * stays inside the app count, so a link out of the repository claims nothing.
 */
final class GoProject {

    static final String GO_MOD = "go.mod";
    static final String VENDOR_MODULES = "vendor/modules.txt";

    /** The module directive: {@code module example.com/shop} or {@code module "example.com/shop"}. */
    private static final Pattern MODULE = Pattern.compile("^\\s*module\\s+\"?([^\"\\s/][^\"\\s]*)\"?\\s*(//.*)?$");
    /** A major version suffix, which {@code go build} leaves out of a command's name. */
    private static final Pattern MAJOR_VERSION = Pattern.compile("v[0-9]+");

    private GoProject() {
    }

    /** Why {@code source} is a Go app: {@code found go.mod} or {@code found main.go}; empty when it is not. */
    static Optional<String> detect(Path source) {
        try {
            Path root = source.toRealPath();
            Optional<String> goMod = AppFiles.found(root, GO_MOD);
            if (goMod.isPresent()) {
                return goMod;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*.go")) {
                for (Path file : files) {
                    if (AppFiles.inside(root, file)) {
                        return Optional.of("found " + file.getFileName());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an unreadable tree is not claimed
        }
        return Optional.empty();
    }

    /** Whether the app has a go.mod at its top. */
    static boolean hasGoMod(Path dir) {
        return Files.isRegularFile(dir.resolve(GO_MOD));
    }

    /** Whether the app vendors its dependencies ({@code go mod vendor}), so that go builds from vendor/. */
    static boolean vendored(Path dir) {
        return Files.isRegularFile(dir.resolve(VENDOR_MODULES));
    }

    /** The module path that go.mod declares, when it declares one. */
    static Optional<String> modulePath(Path dir) throws IOException {
        for (String line : Files.readAllLines(dir.resolve(GO_MOD), StandardCharsets.UTF_8)) {
            Matcher m = MODULE.matcher(line);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * The name {@code go build} gives the command of a module's root package: the last element of
     * the module path, or the one before it when the last is a major version ({@code /v2}).
     */
    static String commandName(String modulePath) {
        String[] elements = modulePath.split("/");
        String last = elements[elements.length - 1];
        if (elements.length > 1 && MAJOR_VERSION.matcher(last).matches()) {
            return elements[elements.length - 2];
        }
        return last;
    }

}
