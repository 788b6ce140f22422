package cloud.hop3.core.impl.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.audit.AuditTrail;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.deploy.ReleaseRunner;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.route.RouteManager;

/** Core's services record each change in the audit trail, as the thread's actor, with names and never values. */
class AuditedChangesTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final Actor ADA = new Actor("ada", Door.SHELL, "192.0.2.7");
    private static final BuildLog QUIET = new BuildLog() {
        @Override
        public void step(String text) {
        }

        @Override
        public void info(String text) {
        }

        @Override
        public void warn(String text) {
        }
    };

    @TempDir
    Path home;

    private AuditTrail trail;
    private DeployPipeline pipeline;
    private PlatformApps apps;

    @BeforeEach
    void setUp() throws IOException {
        trail = new AuditTrail(Clock.systemUTC());
        trail.open(home.resolve("audit"));
        AppCatalog catalog = new AppCatalog(new PlatformSettings(home, "example.com"), Clock.systemUTC());
        pipeline = new DeployPipeline(catalog, new ReleaseRunner());
        pipeline.audit(trail);
        apps = new PlatformApps(catalog, new ReleaseRunner(), new RouteManager(), pipeline, AppUsers.none(home));
        apps.audit(trail);
    }

    @AfterEach
    void tearDown() throws IOException {
        trail.close();
    }

    @Test
    void changesAreRecordedInOrderAsTheirActorWithKeyNamesOnly() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        CurrentActor.as(ADA, () -> {
            apps.create(SHOP);
            pipeline.configure(SHOP, Map.of("SECRET_KEY", secret, "DEBUG", "0"), Set.of(), QUIET);
            pipeline.configure(SHOP, Map.of(), Set.of("DEBUG"), QUIET);
            apps.destroy(SHOP, false);
            return null;
        });

        List<AuditRecord> records = trail.list(AuditFilter.all(100));
        assertEquals(List.of("app.create", "config.set", "config.unset", "app.destroy"),
                records.stream().map(AuditRecord::action).toList());
        for (AuditRecord r : records) {
            assertEquals(ADA, r.actor());
            assertEquals("shop", r.target());
            assertTrue(r.result().ok(), r.toString());
        }
        assertEquals(Set.of("SECRET_KEY", "DEBUG"), Set.copyOf(records.get(1).details()));
        assertEquals(List.of("DEBUG"), records.get(2).details());
        assertEquals(List.of(), filesHolding(home.resolve("audit"), secret), "the value in the audit trail");
        assertTrue(Files.readString(trail.file()).contains("SECRET_KEY"), "the name is there: the search can find text");
        assertTrue(trail.verify().intact(), trail.verify().problem());
    }

    @Test
    void aFailedChangeIsRecordedWithItsReasonAndNoValue() throws Exception {
        String value = "not-a-flag-" + UUID.randomUUID();
        CurrentActor.as(ADA, () -> apps.create(SHOP));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> CurrentActor.as(ADA,
                () -> pipeline.configure(SHOP, Map.of("HOP3_HTTPS_REDIRECT", value), Set.of(), QUIET)));
        assertTrue(refused.getMessage().contains(value), "the user is told the value: " + refused.getMessage());
        DeployException noRelease = assertThrows(DeployException.class, () -> pipeline.scale(SHOP, Map.of("web", 2), QUIET));

        List<AuditRecord> records = trail.list(AuditFilter.all(100));
        AuditRecord config = records.get(1);
        assertEquals("config.set", config.action());
        assertEquals(List.of("HOP3_HTTPS_REDIRECT"), config.details());
        assertTrue(!config.result().ok() && config.result().reason().contains("***"), config.result().toString());
        assertEquals(List.of(), filesHolding(home.resolve("audit"), value), "the refused value in the audit trail");

        AuditRecord scale = records.get(2);
        assertEquals("app.scale", scale.action());
        assertEquals(List.of("web:2"), scale.details());
        assertEquals("failed: " + noRelease.getMessage(), scale.result().toString());
        assertEquals(Actor.platform(Door.PLATFORM), scale.actor(), "no door named an actor: the platform");
    }

    private static List<Path> filesHolding(Path dir, String text) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
