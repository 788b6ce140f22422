package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppService;

/**
 * {@code app:config --shell} prints lines for {@code eval}: the real {@code /bin/sh} reads back
 * every value exactly, and runs nothing that a value holds.
 */
class AppConfigCommandTest {

    private final AllowEverything access = new AllowEverything();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @TempDir
    Path dir;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    private static AppService configOf(Map<String, String> config) {
        return (AppService) Proxy.newProxyInstance(AppService.class.getClassLoader(), new Class<?>[] {AppService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("config")) {
                        return new TreeMap<>(config);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void evalByShGivesBackEachValueAndRunsNothing() throws Exception {
        Path marker = dir.resolve("ran");
        Map<String, String> config = new LinkedHashMap<>();
        config.put("SUBST", "x$(touch " + marker + ")y");
        config.put("BACKTICKS", "a`touch " + marker + "`b");
        config.put("QUOTES", "it's \"quoted\" '' \\' \\\\");
        config.put("NEWLINES", "line 1\nline 2; touch " + marker + "\n");
        config.put("VARS", "$HOME ${PATH} $0 $1 * ? [a]");
        config.put("EMPTY", "");
        config.put("SEMI", "; touch " + marker + " & | > " + marker + " #");

        new AppConfigCommand(configOf(config), "shop", true).checkedBy(access).execute();
        Path script = dir.resolve("config.sh");
        Files.writeString(script, out.toString(StandardCharsets.UTF_8));

        for (Map.Entry<String, String> var : config.entrySet()) {
            Path value = dir.resolve(var.getKey() + ".value");
            sh("eval \"$(cat '" + script + "')\"; printf '%s' \"$" + var.getKey() + "\" > '" + value + "'");
            assertEquals(var.getValue(), Files.readString(value), var.getKey());
        }
        assertFalse(Files.exists(marker), "a value ran a command under eval");
    }

    @Test
    void quotingKeepsQuotesInsideTheValue() {
        assertEquals("'it'\\''s'", AppConfigCommand.shellQuoted("it's"));
        assertEquals("''", AppConfigCommand.shellQuoted(""));
    }

    private static void sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("sh failed: " + output);
        }
    }
}
