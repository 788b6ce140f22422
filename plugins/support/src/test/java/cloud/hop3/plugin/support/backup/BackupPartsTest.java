package cloud.hop3.plugin.support.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;

class BackupPartsTest {

    private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.UTF_8);
    private static final String HELLO_SHA256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    @TempDir
    Path directory;

    @Test
    void aPartIsCheckedBySizeAndSha256() throws Exception {
        Files.write(directory.resolve("hello.txt"), HELLO);

        BackupParts.check(manifest("b1", "2026-12-05T17:00:00Z", "hello.txt"), directory);
        assertEquals(new BackupParts.Digest(6, HELLO_SHA256), BackupParts.digest(directory.resolve("hello.txt")));
    }

    @Test
    void aSymbolicLinkIsNotAPart() throws Exception {
        Files.write(directory.resolve("real.txt"), HELLO);
        Files.createSymbolicLink(directory.resolve("hello.txt"), directory.resolve("real.txt"));

        BackupException refused = assertThrows(BackupException.class,
                () -> BackupParts.check(manifest("b1", "2026-12-05T17:00:00Z", "hello.txt"), directory));
        assertTrue(refused.getMessage().contains("hello.txt"), refused.getMessage());
    }

    @Test
    void newestFirstThenHighestId() {
        BackupManifest a = manifest("a", "2026-12-05T17:00:00Z");
        BackupManifest b = manifest("b", "2026-12-05T17:00:00Z");
        BackupManifest old = manifest("c", "2026-12-04T17:00:00Z");
        List<BackupManifest> list = new ArrayList<>(List.of(old, a, b));

        list.sort(BackupParts.NEWEST_FIRST);

        assertEquals(List.of(b, a, old), list);
    }

    private static BackupManifest manifest(String id, String created, String... parts) {
        List<BackupPart> described = new ArrayList<>();
        for (String part : parts) {
            described.add(new BackupPart(part, HELLO.length, HELLO_SHA256));
        }
        return new BackupManifest(BackupId.of(id), AppName.of("shop"), Instant.parse(created), 1, "0.1.0", Map.of(),
                described);
    }
}
