package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever bytes a developer pushes, parsing ends in a manifest or a {@link ManifestException}
 * that names the file: never another exception, never a hang. Seeds are fixed, so a failure is
 * reproducible, and the input that broke it is printed.
 */
class ManifestRobustnessTest {

    private static final int ROUNDS = 400;

    private static final String PROCFILE = """
            web: gunicorn app:app --bind 0.0.0.0:$PORT
            worker: celery -A app worker
            release: ./migrate
            cron: */5 1-3 * jan,jul mon-fri ./poll
            static: public/assets
            """;

    private static final String TOML = """
            [metadata]
            id = "x"
            [build]
            toolchain = "python"
            before-build = ["a", 'b', \"\"\"c\"\"\"]
            [run]
            start = "./w"
            before-run = "./m"
            start-timeout = 1.5
            [run.workers]
            worker = "./k"
            cron = ["0 3 * * * ./c"]
            [run.scale]
            web = 2
            [env]
            A = 1
            B = { from = "db", key = "h" }
            [healthcheck]
            path = "/h"
            timeout = 3
            [static]
            "/s" = "s"
            [[provider]]
            name = "pg"
            """;

    private static final String JSON = """
            {"scripts": {"dokku": {"predeploy": "./m"}}, "env": {"A": {"value": 1}},
             "formation": {"web": {"quantity": 2}}, "healthchecks": {"web": [{"path": "/", "attempts": 2}]},
             "cron": [{"schedule": "0 3 * * *", "command": "./c"}]}
            """;

    private static final String TOML_ALPHABET = "[]{}=\"'.,#\n\t abcdefrunstarbuildenv0123456789-_:/*\\u+";

    @TempDir
    Path app;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Procfile", "hop3.toml", "app.json"})
    void randomBytes(String file) throws IOException {
        Random random = new Random(file.hashCode());
        for (int round = 0; round < ROUNDS; round++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            check(file, bytes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Procfile", "hop3.toml", "app.json"})
    void randomTextFromTheFormatsOwnCharacters(String file) throws IOException {
        Random random = new Random(31L * file.hashCode());
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                text.append(TOML_ALPHABET.charAt(random.nextInt(TOML_ALPHABET.length())));
            }
            check(file, text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Procfile", "hop3.toml", "app.json"})
    void mutationsOfAValidFile(String file) throws IOException {
        byte[] valid = switch (file) {
            case "Procfile" -> PROCFILE.getBytes(StandardCharsets.UTF_8);
            case "hop3.toml" -> TOML.replace("B = { from = \"db\", key = \"h\" }\n", "").getBytes(StandardCharsets.UTF_8);
            default -> JSON.getBytes(StandardCharsets.UTF_8);
        };
        Random random = new Random(17L * file.hashCode());
        for (int round = 0; round < ROUNDS * 2; round++) {
            byte[] bytes = valid.clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(bytes.length);
                switch (random.nextInt(4)) {
                    case 0 -> bytes[at] = (byte) random.nextInt(256);
                    case 1 -> bytes[at] = (byte) TOML_ALPHABET.charAt(random.nextInt(TOML_ALPHABET.length()));
                    case 2 -> bytes = java.util.Arrays.copyOf(bytes, Math.max(at, 1));
                    default -> bytes[at] = bytes[random.nextInt(bytes.length)];
                }
            }
            check(file, bytes);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Procfile", "hop3.toml", "app.json"})
    void pathologicalShapes(String file) throws IOException {
        check(file, new byte[0]);
        check(file, "\n".repeat(60_000).getBytes(StandardCharsets.UTF_8));
        check(file, "[".repeat(60_000).getBytes(StandardCharsets.UTF_8));
        check(file, "{".repeat(60_000).getBytes(StandardCharsets.UTF_8));
        check(file, ("a = [" + "[".repeat(2000) + "]".repeat(2000) + "]\n").getBytes(StandardCharsets.UTF_8));
        check(file, ("a = " + "{b = ".repeat(900) + "1" + "}".repeat(900) + "\n").getBytes(StandardCharsets.UTF_8));
        check(file, ("{\"a\":" + "[".repeat(5000)).getBytes(StandardCharsets.UTF_8));
        check(file, ("\"" + "\\".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        check(file, ("web: " + "x".repeat(65_000)).getBytes(StandardCharsets.UTF_8));
        check(file, new byte[ManifestFiles.MAX_BYTES + 1]);
        check(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        check(file, new byte[] {(byte) 0xF0, (byte) 0x9F});
    }

    private void check(String file, byte[] bytes) throws IOException {
        Path path = app.resolve(file);
        Files.write(path, bytes);
        try {
            ManifestParser.parse(app);
        } catch (ManifestException e) {
            assertTrue(e.getMessage().startsWith(file), () -> "the message names " + file + ": " + e.getMessage());
        } catch (Throwable t) {
            fail(file + " with " + bytes.length + " bytes " + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 400))
                    + " threw " + t, t);
        } finally {
            Files.delete(path);
        }
    }
}
