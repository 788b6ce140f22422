package cloud.hop3.builder.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositorySnapshotTest {

    @TempDir
    Path repo;

    @Test
    void countsTheArtifactsThatABuildAdded() throws Exception {
        RepositorySnapshot empty = RepositorySnapshot.of(repo.resolve("not-yet"));
        Files.createDirectories(repo.resolve("org/demo/lib/1.0"));
        Files.writeString(repo.resolve("org/demo/lib/1.0/lib-1.0.jar"), "x".repeat(1_500_000));
        Files.writeString(repo.resolve("org/demo/lib/1.0/lib-1.0.pom"), "<project/>");
        Files.writeString(repo.resolve("org/demo/lib/1.0/_remote.repositories"), "bookkeeping");
        RepositorySnapshot first = RepositorySnapshot.of(repo);

        assertEquals(0, empty.size());
        assertEquals(new RepositorySnapshot.Downloads(2, 1_500_010), first.since(empty));
        assertEquals("2 files (1.5 MB)", first.since(empty).describe());

        Files.writeString(repo.resolve("org/demo/lib/1.0/_remote.repositories"), "changed bookkeeping");
        RepositorySnapshot second = RepositorySnapshot.of(repo);
        assertEquals(new RepositorySnapshot.Downloads(0, 0), second.since(first));
        assertEquals(Map.of("org/demo/lib/1.0/lib-1.0.jar", 1_500_000L, "org/demo/lib/1.0/lib-1.0.pom", 10L),
                second.artifacts());
        assertEquals("1 file (0.0 MB)", new RepositorySnapshot.Downloads(1, 10).describe());
    }
}
