package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.StaticMapping;

class ManifestParserTest {

    @TempDir
    Path app;

    private void write(String name, String content) throws IOException {
        Files.writeString(app.resolve(name), content, StandardCharsets.UTF_8);
    }

    private ManifestException failure() {
        return assertThrows(ManifestException.class, () -> ManifestParser.parse(app));
    }

    @Test
    void aTreeWithoutContractFilesHasAnEmptyManifest() throws ManifestException, IOException {
        write("index.html", "<h1>hi</h1>");

        AppManifest m = ManifestParser.parse(app);

        assertEquals(AppManifest.empty(), m);
        assertTrue(m.processes().isEmpty());
        assertTrue(m.formation().isEmpty());
        assertEquals(Optional.empty(), m.healthCheck());
    }

    @Test
    void aProcfileAloneGivesProcessesAndTheDefaultFormation() throws Exception {
        write("Procfile", """
                web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT
                worker: celery -A shop worker
                release: python manage.py migrate
                cron: 0 3 * * * python manage.py clearsessions
                static: public
                """);

        AppManifest m = ManifestParser.parse(app);

        assertEquals(Map.of("web", "gunicorn shop.wsgi --bind 0.0.0.0:$PORT", "worker", "celery -A shop worker"), m.processes());
        assertEquals(Optional.of("python manage.py migrate"), m.releaseCommand());
        assertEquals(1, m.cron().size());
        assertEquals(List.of(new StaticMapping("/", "public")), m.statics());
        assertEquals(Map.of("web", 1, "worker", 1), m.formation());
        assertEquals(Optional.empty(), m.builder());
        assertEquals(Optional.empty(), m.healthCheck(), "no health check unless the app asks for one");
        assertTrue(m.env().isEmpty());
        assertTrue(m.buildCommands().isEmpty());
    }

    @Test
    void hop3TomlWinsOverProcfileWhichWinsOverAppJson() throws Exception {
        write("Procfile", """
                web: ./procfile-web
                worker: ./procfile-worker
                release: ./procfile-release
                cron: 0 1 * * * ./procfile-cron
                static: procfile-public
                prebuild: ./procfile-prebuild
                """);
        write("hop3.toml", """
                [build]
                toolchain = "python"
                build = "./toml-build"

                [run]
                start = "./toml-web"
                before-run = "./toml-release"

                [run.workers]
                mailer = "./toml-mailer"
                cron = "0 2 * * * ./toml-cron"

                [run.scale]
                web = 3

                [env]
                SHARED = "from-toml"
                TOML_ONLY = "t"

                [healthcheck]
                path = "/toml-health"

                [static]
                "/" = "toml-public"
                "/media" = "media"
                """);
        write("app.json", """
                {
                  "scripts": { "dokku": { "predeploy": "./json-release" } },
                  "env": { "SHARED": "from-json", "JSON_ONLY": { "value": "j" } },
                  "formation": { "web": { "quantity": 5 }, "worker": { "quantity": 2 }, "ghost": { "quantity": 9 } },
                  "healthchecks": { "web": [{ "path": "/json-health" }] },
                  "cron": [{ "schedule": "0 4 * * *", "command": "./json-cron" }]
                }
                """);

        AppManifest m = ManifestParser.parse(app);

        assertEquals(Map.of("web", "./toml-web", "worker", "./procfile-worker", "mailer", "./toml-mailer"), m.processes());
        assertEquals(List.of("web", "worker", "mailer"), List.copyOf(m.processes().keySet()), "Procfile order, then hop3.toml's");
        assertEquals(Optional.of("./toml-release"), m.releaseCommand());
        assertEquals(List.of("./toml-cron"), m.cron().stream().map(CronEntry::command).toList());
        assertEquals(List.of(new StaticMapping("/", "toml-public"), new StaticMapping("/media", "media")), m.statics());
        assertEquals(Optional.of("python"), m.builder());
        assertEquals(Map.of("SHARED", "from-toml", "TOML_ONLY", "t", "JSON_ONLY", "j"), m.env());
        assertEquals(Optional.of(new HealthCheck("/toml-health", "", Duration.ofSeconds(30))), m.healthCheck());
        assertEquals(List.of("./toml-build"), m.buildCommands());
        // hop3.toml's scale, then app.json's quantity, then 1; app.json's unknown "ghost" is left out
        assertEquals(Map.of("web", 3, "worker", 2, "mailer", 1), m.formation());
    }

    @Test
    void procfileWinsOverAppJsonWhenHop3TomlIsSilent() throws Exception {
        write("Procfile", "web: ./w\nrelease: ./procfile-release\ncron: 0 1 * * * ./procfile-cron\n");
        write("app.json", """
                { "scripts": { "dokku": { "predeploy": "./json-release" } },
                  "cron": [{ "schedule": "0 4 * * *", "command": "./json-cron" }],
                  "healthchecks": { "web": [{ "path": "/up", "content": "ok" }] } }
                """);

        AppManifest m = ManifestParser.parse(app);

        assertEquals(Optional.of("./procfile-release"), m.releaseCommand());
        assertEquals(List.of("./procfile-cron"), m.cron().stream().map(CronEntry::command).toList());
        assertEquals(Optional.of(new HealthCheck("/up", "ok", Duration.ofSeconds(30))), m.healthCheck(),
                "the Procfile has no health check, so app.json's is used");
    }

    @Test
    void appJsonFillsInWhatNothingElseGives() throws Exception {
        write("app.json", """
                { "scripts": { "dokku": { "predeploy": "./json-release" } },
                  "cron": [{ "schedule": "0 4 * * *", "command": "./json-cron" }] }
                """);

        AppManifest m = ManifestParser.parse(app);

        assertEquals(Optional.of("./json-release"), m.releaseCommand());
        assertEquals(List.of("./json-cron"), m.cron().stream().map(CronEntry::command).toList());
        assertTrue(m.processes().isEmpty(), "app.json declares no processes");
    }

    @Test
    void procfileBuildHooksApplyWhenHop3TomlHasNoBuildCommands() throws Exception {
        write("Procfile", "web: ./w\nprebuild: npm ci\n");
        write("hop3.toml", "[build]\ntoolchain = \"node\"\n");

        assertEquals(List.of("npm ci"), ManifestParser.parse(app).buildCommands());
    }

    @Test
    void hop3TomlAloneIsEnough() throws Exception {
        write("hop3.toml", """
                [run]
                start = "java -jar app.jar"
                [run.workers]
                queue = "java -cp app.jar Queue"
                """);

        AppManifest m = ManifestParser.parse(app);

        assertEquals(Map.of("web", "java -jar app.jar", "queue", "java -cp app.jar Queue"), m.processes());
        assertEquals(Map.of("web", 1, "queue", 1), m.formation());
    }

    @Test
    void scalingAProcessThatDoesNotExistNamesTheLine() throws Exception {
        write("Procfile", "web: ./w\nworker: ./k\n");
        write("hop3.toml", "[run.scale]\nweb = 2\nwrker = 1\n");

        ManifestException e = failure();

        assertEquals("hop3.toml line 3: [run.scale] wrker is not a process type of this app (web, worker)", e.getMessage());
        assertEquals(OptionalInt.of(3), e.line());
    }

    @Test
    void errorsNameTheFileTheyComeFrom() throws Exception {
        write("Procfile", "web: ./w\n");
        write("hop3.toml", "[run]\nstart = \"./w\"\n");
        write("app.json", "{ \"env\": ");

        ManifestException e = failure();

        assertEquals("app.json", e.file());
        assertTrue(e.getMessage().startsWith("app.json line 1, column "), e.getMessage());
    }

    @Test
    void procfileErrorsComeThrough() throws Exception {
        write("Procfile", "web: ./w\n\nWeb: ./x\n");

        assertEquals("Procfile line 3: process type 'Web' must be lower-case: write 'web'", failure().getMessage());
    }

    @Test
    void aProcfileWithCrlfAndABomIsFine() throws Exception {
        Files.write(app.resolve("Procfile"), "\uFEFFweb: ./w\r\nworker: ./k\r\n".getBytes(StandardCharsets.UTF_8));

        assertEquals(Map.of("web", "./w", "worker", "./k"), ManifestParser.parse(app).processes());
    }

    @Test
    void cronEntriesAreReadyToSchedule() throws Exception {
        write("Procfile", "cron: 30 23 31 12 * ./year-end\n");

        CronEntry entry = ManifestParser.parse(app).cron().get(0);

        ZonedDateTime after = ZonedDateTime.of(2024, 6, 1, 0, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(ZonedDateTime.of(2024, 12, 31, 23, 30, 0, 0, ZoneOffset.UTC), entry.schedule().next(after));
        assertEquals("cron: 30 23 31 12 * ./year-end", entry.line());
    }

    @Test
    void theManifestIsImmutable() throws Exception {
        write("Procfile", "web: ./w\n");
        AppManifest m = ManifestParser.parse(app);

        assertThrows(UnsupportedOperationException.class, () -> m.processes().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> m.formation().put("x", 1));
        assertThrows(UnsupportedOperationException.class, () -> m.cron().clear());
    }

    @Test
    void notADirectoryIsACallerError() throws Exception {
        write("Procfile", "web: ./w\n");

        assertThrows(IllegalArgumentException.class, () -> ManifestParser.parse(app.resolve("Procfile")));
        assertThrows(IllegalArgumentException.class, () -> ManifestParser.parse(app.resolve("missing")));
    }
}
