package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import cloud.hop3.itests.Command.Result;

/**
 * The browser tests' tools in {@code target/browser}: the scripts of {@code src/test/browser} and
 * the npm packages their lock file pins (Playwright's driver, axe-core), installed with {@code npm ci}
 * once; they drive Debian's {@code /usr/bin/chromium}, never a downloaded browser.
 */
final class BrowserTools {

    static final Path DIR = Path.of("target", "browser").toAbsolutePath();

    private BrowserTools() {
    }

    /** Copies the scripts and installs the packages when the lock file changed; returns the folder. */
    static Path install() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian's chromium is not installed (apt-get install chromium)");
        Path source = Path.of("src", "test", "browser");
        Files.createDirectories(DIR);
        boolean changed = !Files.exists(DIR.resolve("node_modules/playwright-core"))
                || Files.mismatch(source.resolve("package-lock.json"), DIR.resolve("package-lock.json")) != -1;
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, DIR.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (changed) {
            Result r = Command.run(DIR, Map.of(), Duration.ofMinutes(5), "npm", "ci", "--ignore-scripts", "--no-audit",
                    "--no-fund");
            assertEquals(0, r.exit(), () -> "npm ci failed: " + r);
        }
        return DIR;
    }
}
