package cloud.hop3.api.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Fuzz;

class BackupManifestTest {

    private static final String SHA = "a".repeat(64);

    private static BackupManifest sample() {
        return new BackupManifest(BackupId.of("shop-20261205t170000z-3f2a"), AppName.of("shop"),
                Instant.parse("2026-12-05T17:00:00Z"), 7, "0.9.0", Map.of("cloud.hop3.addon.postgres", "0.9.0"),
                List.of(new BackupPart("repo.bundle", 20480, SHA),
                        new BackupPart("addon-shop-db.pgdump", 0, SHA, Map.of("addon", "shop-db", "rows", "12 in 2 tables"))));
    }

    @Test
    void aManifestReadsBackAsWritten() throws Exception {
        BackupManifest manifest = sample();
        String text = new String(manifest.toBytes(), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("hop3-backup 1\nid shop-20261205t170000z-3f2a\napp shop\n"), text);
        assertTrue(text.contains("attribute addon-shop-db.pgdump rows 12 in 2 tables\n"), text);
        assertEquals(manifest, BackupManifest.read(new ByteArrayInputStream(manifest.toBytes())));
        assertEquals(20480, manifest.size());
    }

    @Test
    void aPlatformBackupHasASubjectLineAndNoApp() throws Exception {
        BackupManifest platform = new BackupManifest(BackupId.of("platform-20261205t170000z-3f2a"), java.util.Optional.empty(),
                Instant.parse("2026-12-05T17:00:00Z"), 0, "0.9.0", Map.of(),
                List.of(new BackupPart("platform.tar", 10240, SHA), new BackupPart("shop.repo.bundle", 20480, SHA)));
        String text = new String(platform.toBytes(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\nsubject platform\n") && !text.contains("\napp "), text);
        BackupManifest read = BackupManifest.read(new ByteArrayInputStream(platform.toBytes()));
        assertEquals(platform, read);
        assertTrue(read.ofPlatform());
        assertEquals("the platform", read.describeSubject());
        IllegalStateException e = assertThrows(IllegalStateException.class, read::app);
        assertTrue(e.getMessage().contains("platform"), e.getMessage());
        assertFalse(sample().ofPlatform());

        String appText = new String(sample().toBytes(), StandardCharsets.UTF_8);
        for (String damaged : List.of(appText.replace("app shop\n", "app shop\nsubject platform\n"),
                text.replace("subject platform", "subject everything"))) {
            assertThrows(BackupException.class,
                    () -> BackupManifest.read(new ByteArrayInputStream(damaged.getBytes(StandardCharsets.UTF_8))), damaged);
        }
    }

    @Test
    void aDamagedManifestIsRefusedWithItsLine() {
        String text = new String(sample().toBytes(), StandardCharsets.UTF_8);
        for (String damaged : List.of(text.replace("part repo.bundle 20480", "part ../repo 20480"),
                text.replace("release 7", "release seven"), text.replace("app shop\n", ""),
                text.replace("created 2026", "created yesterday"), "hello\n", text + "unknown x\n",
                text.replace("part repo.bundle 20480 " + SHA, "part repo.bundle 20480 " + SHA.substring(1)))) {
            BackupException e = assertThrows(BackupException.class,
                    () -> BackupManifest.read(new ByteArrayInputStream(damaged.getBytes(StandardCharsets.UTF_8))));
            assertTrue(e.getMessage().contains("manifest"), e.getMessage());
        }
    }

    @Test
    void partNamesAndAttributesStayOnOneLineAndInTheirDirectory() {
        for (String name : List.of("", "..", "a/b", "a b", "A", ".hidden", "x\ny", BackupManifest.FILE_NAME)) {
            assertThrows(IllegalArgumentException.class, () -> new BackupPart(name, 1, SHA), name);
        }
        assertThrows(IllegalArgumentException.class, () -> new BackupPart("a", 1, SHA, Map.of("k", "v\nid x")));
        assertThrows(IllegalArgumentException.class, () -> new BackupPart("a", -1, SHA));
    }

    @Test
    void backupIdsAcceptedAreSafeFileNames() {
        Fuzz.strings(12, 100_000, 12, input -> {
            try {
                String id = BackupId.of(input).value();
                assertTrue(id.matches("[a-z0-9][a-z0-9.-]*") && !id.contains(".."), input);
                assertTrue(BackupId.isValid(input));
            } catch (IllegalArgumentException e) {
                assertFalse(BackupId.isValid(input));
                assertTrue(e.getMessage().matches("[\\x20-\\x7e]+"), e.getMessage());
            }
        });
    }

    @Test
    void retentionCountsAreBounded() {
        assertThrows(IllegalArgumentException.class, () -> new Retention(-1, 0, 0, 0));
        assertTrue(Retention.ALL.keepsAll());
        assertFalse(new Retention(1, 0, 0, 0).keepsAll());
        assertEquals("0 3 * * *", new BackupSchedule("  0  3 * *\t* ", null).cron());
    }
}
