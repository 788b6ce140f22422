package cloud.hop3.core.impl.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.build.HealthCheck;
import cloud.hop3.api.build.RuntimeSpec;
import cloud.hop3.api.build.StaticMapping;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.app.RuntimeDocument;
import cloud.hop3.core.impl.manifest.AppManifest;
import cloud.hop3.core.impl.manifest.CronEntry;
import cloud.hop3.core.impl.manifest.CronSchedule;
import cloud.hop3.core.impl.manifest.ManifestParser;

/** How a release's runtime and formation are made from what the builder proposes and what the app declares. */
class DeployPipelineTest {

    private static final HealthCheck BUILDER_CHECK = new HealthCheck("/builder-health", "", Duration.ofSeconds(10));
    private static final HealthCheck APP_CHECK = new HealthCheck("/healthz", "ok", Duration.ofSeconds(60));

    private static RuntimeSpec built(Map<String, String> processes, Map<String, String> env, List<StaticMapping> statics,
                                     Optional<HealthCheck> check) {
        return new RuntimeSpec(processes, env, List.of("venv/bin", "bin"), statics, check);
    }

    private static AppManifest manifest(Map<String, String> processes, Map<String, String> env, List<StaticMapping> statics,
                                        Optional<HealthCheck> check, Map<String, Integer> formation) {
        return new AppManifest(processes, Optional.empty(), List.of(), statics, Optional.empty(), env, check, List.of(),
                formation);
    }

    private static AppDocument scaled(Map<String, Integer> formation) {
        return new AppDocument(1, "shop", Instant.EPOCH, List.of(), Map.of(), formation, List.of(), false, List.of());
    }

    private static RuntimeDocument runtimeWith(String... types) {
        Map<String, String> processes = new LinkedHashMap<>();
        for (String t : types) {
            processes.put(t, "./" + t);
        }
        return new RuntimeDocument(processes, Map.of(), List.of(), List.of(), null, null, List.of());
    }

    @Test
    void theAppsProcessesOverrideTheBuildersDefaults() {
        RuntimeDocument runtime = DeployPipeline.runtime(
                built(Map.of("web", "npm start", "worker", "node worker.js"), Map.of(), List.of(), Optional.empty()),
                manifest(Map.of("web", "node server.js --port $PORT", "clock", "node clock.js"), Map.of(), List.of(),
                        Optional.empty(), Map.of()));

        assertEquals(Map.of("web", "node server.js --port $PORT", "worker", "node worker.js", "clock", "node clock.js"),
                runtime.processes());
    }

    @Test
    void theAppsEnvIsLayeredOverTheBuilders() {
        RuntimeDocument runtime = DeployPipeline.runtime(
                built(Map.of(), Map.of("VIRTUAL_ENV", "/slug/venv", "PYTHONUNBUFFERED", "1"), List.of(), Optional.empty()),
                manifest(Map.of("web", "./run"), Map.of("PYTHONUNBUFFERED", "0", "DEBUG", "false"), List.of(),
                        Optional.empty(), Map.of()));

        assertEquals(Map.of("VIRTUAL_ENV", "/slug/venv", "PYTHONUNBUFFERED", "0", "DEBUG", "false"), runtime.env());
        assertEquals(List.of("venv/bin", "bin"), runtime.path(), "the PATH entries come from the builder");
    }

    @Test
    void staticsMergeByPrefixKeepingTheBuildersMappingForTheSamePrefix() {
        // The static builder copies the app's static directory into the slug's "site" and maps "/" to it.
        RuntimeDocument runtime = DeployPipeline.runtime(
                built(Map.of(), Map.of(), List.of(new StaticMapping("/", "site")), Optional.empty()),
                manifest(Map.of(), Map.of(), List.of(new StaticMapping("/", "public"), new StaticMapping("/media", "media")),
                        Optional.empty(), Map.of()));

        assertEquals(List.of(new StaticMapping("/", "site"), new StaticMapping("/media", "media")), runtime.statics());
    }

    @Test
    void theAppsHealthCheckWinsOverTheBuilders() {
        assertEquals(APP_CHECK, DeployPipeline.runtime(built(Map.of("web", "x"), Map.of(), List.of(), Optional.of(BUILDER_CHECK)),
                manifest(Map.of(), Map.of(), List.of(), Optional.of(APP_CHECK), Map.of())).healthCheck());
        assertEquals(BUILDER_CHECK, DeployPipeline.runtime(built(Map.of("web", "x"), Map.of(), List.of(), Optional.of(BUILDER_CHECK)),
                manifest(Map.of(), Map.of(), List.of(), Optional.empty(), Map.of())).healthCheck());
        assertNull(DeployPipeline.runtime(built(Map.of("web", "x"), Map.of(), List.of(), Optional.empty()),
                manifest(Map.of(), Map.of(), List.of(), Optional.empty(), Map.of())).healthCheck());
    }

    @Test
    void theReleaseCommandAndCronEntriesComeFromTheApp() {
        AppManifest m = new AppManifest(Map.of("web", "./web"), Optional.of("./migrate"),
                List.of(new CronEntry(CronSchedule.parse("0 3 * * sun"), "./cleanup", "cron: 0 3 * * sun ./cleanup")),
                List.of(), Optional.empty(), Map.of(), Optional.empty(), List.of(), Map.of());

        RuntimeDocument runtime = DeployPipeline.runtime(built(Map.of(), Map.of(), List.of(), Optional.empty()), m);

        assertEquals("./migrate", runtime.releaseCommand());
        assertEquals(List.of(new RuntimeDocument.CronDocument("0 3 * * sun", "./cleanup")), runtime.cron());
        assertNull(DeployPipeline.runtime(built(Map.of(), Map.of(), List.of(), Optional.empty()), AppManifest.empty())
                .releaseCommand());
    }

    @Test
    void formationIsScaledElseDeclaredElseOne() {
        Map<String, Integer> formation = DeployPipeline.formation(
                scaled(Map.of("worker", 3, "clock", 0)),
                manifest(Map.of(), Map.of(), List.of(), Optional.empty(), Map.of("web", 2, "worker", 1)),
                runtimeWith("web", "worker", "clock", "mailer"));

        assertEquals(Map.of("web", 2, "worker", 3, "clock", 0, "mailer", 1), formation);
    }

    @Test
    void typesThatTheRuntimeDoesNotHaveAreDropped() {
        Map<String, Integer> formation = DeployPipeline.formation(
                scaled(Map.of("old-worker", 4)),
                manifest(Map.of(), Map.of(), List.of(), Optional.empty(), Map.of("web", 2, "ghost", 5)),
                runtimeWith("web"));

        assertEquals(Map.of("web", 2), formation);
        assertEquals(Map.of(), DeployPipeline.formation(scaled(Map.of("web", 2)), AppManifest.empty(), runtimeWith()));
    }

    @Test
    void aSourceTreeDeclaringProcessesScaleHealthAndStatics(@TempDir Path source) throws Exception {
        Files.writeString(source.resolve("Procfile"), """
                web: gunicorn shop.wsgi --bind 0.0.0.0:$PORT
                worker: celery -A shop worker
                static: public
                """);
        Files.writeString(source.resolve("hop3.toml"), """
                [run.scale]
                web = 3

                [env]
                WORKERS = 4

                [healthcheck]
                path = "/up"
                contains = "ok"
                timeout = 45

                [static]
                "/media" = "media"
                """);
        AppManifest m = ManifestParser.parse(source);
        RuntimeSpec python = new RuntimeSpec(Map.of("web", "python -m http.server $PORT"),
                Map.of("VIRTUAL_ENV", "venv", "WORKERS", "1"), List.of("venv/bin"), List.of(), Optional.of(BUILDER_CHECK));

        RuntimeDocument runtime = DeployPipeline.runtime(python, m);
        Map<String, Integer> formation = DeployPipeline.formation(scaled(Map.of()), m, runtime);

        assertEquals(Map.of("web", "gunicorn shop.wsgi --bind 0.0.0.0:$PORT", "worker", "celery -A shop worker"),
                runtime.processes());
        assertEquals(Map.of("VIRTUAL_ENV", "venv", "WORKERS", "4"), runtime.env());
        assertEquals(new HealthCheck("/up", "ok", Duration.ofSeconds(45)), runtime.healthCheck());
        assertEquals(List.of(new StaticMapping("/", "public"), new StaticMapping("/media", "media")), runtime.statics());
        assertEquals(Map.of("web", 3, "worker", 1), formation);
    }
}
