package cloud.hop3.core.impl.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentStoreTest {

    record Sample(String name, Instant created, List<String> tags) {
    }

    @TempDir
    Path root;

    @Test
    void roundTripsARecordWithAnInstantAndAList() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Sample written = new Sample("shop", Instant.parse("2024-05-06T07:08:09.123456789Z"), List.of("a.example", "b.example"));

        store.write(Path.of("apps", "shop", "app.json"), written);

        assertTrue(Files.isRegularFile(root.resolve("apps/shop/app.json")), "the directories are created");
        assertEquals(Optional.of(written), store.read(Path.of("apps", "shop", "app.json"), Sample.class));
    }

    @Test
    void storesInstantsAsReadableText() throws IOException {
        DocumentStore store = new DocumentStore(root);
        store.write(Path.of("d.json"), new Sample("x", Instant.parse("2024-05-06T07:08:09Z"), List.of()));

        String json = Files.readString(root.resolve("d.json"));
        assertTrue(json.contains("2024-05-06T07:08:09Z"), json);
    }

    @Test
    void aPrivateDocumentIsReadableByItsOwnerOnlyAndReplacesAPublicOne() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path relative = Path.of("apps", "shop", "processes.json");
        store.write(relative, new Sample("old", Instant.EPOCH, List.of()));
        Sample secret = new Sample("DATABASE_URL=postgres://u:secret@db/shop", Instant.EPOCH, List.of());

        store.writePrivate(relative, secret);

        assertEquals(Optional.of(secret), store.read(relative, Sample.class));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(root.resolve(relative)));
        assertEquals(List.of("processes.json"), fileNames(root.resolve("apps/shop")));
    }

    @Test
    void readingAMissingDocumentGivesEmpty() throws IOException {
        DocumentStore store = new DocumentStore(root);

        assertEquals(Optional.empty(), store.read(Path.of("apps", "none", "app.json"), Sample.class));
        assertEquals(Optional.empty(), store.read(Path.of("missing.json"), Sample.class));
    }

    @Test
    void aCorruptDocumentGivesAnIOExceptionNamingTheFile() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path file = root.resolve("apps/shop/app.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"name\": \"shop\", \"created\": ");

        IOException e = assertThrows(IOException.class, () -> store.read(Path.of("apps/shop/app.json"), Sample.class));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aDocumentOfTheWrongShapeGivesAnIOExceptionNamingTheFile() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path file = root.resolve("d.json");
        Files.writeString(file, "{\"name\": \"shop\", \"created\": \"not a date\", \"tags\": []}");

        IOException e = assertThrows(IOException.class, () -> store.read(Path.of("d.json"), Sample.class));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void anEmptyFileGivesAnIOException() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Files.write(root.resolve("d.json"), new byte[0]);

        IOException e = assertThrows(IOException.class, () -> store.read(Path.of("d.json"), Sample.class));
        assertTrue(e.getMessage().contains(root.resolve("d.json").toString()), e.getMessage());
    }

    @Test
    void unknownPropertiesAreIgnoredSoNewerDocumentsStillRead() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Files.writeString(root.resolve("d.json"),
                "{\"name\": \"shop\", \"created\": \"2024-01-01T00:00:00Z\", \"tags\": [\"t\"], \"future\": 42}");

        assertEquals(Optional.of(new Sample("shop", Instant.parse("2024-01-01T00:00:00Z"), List.of("t"))),
                store.read(Path.of("d.json"), Sample.class));
    }

    @Test
    void writeReplacesTheOldContentCompletelyAndLeavesNoTemporaryFiles() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path doc = Path.of("apps", "shop", "app.json");
        List<String> manyTags = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            manyTags.add("host-" + i + ".example.com");
        }
        store.write(doc, new Sample("long-name-" + "x".repeat(200), Instant.EPOCH, manyTags));
        long longSize = Files.size(root.resolve(doc));

        Sample shorter = new Sample("s", Instant.parse("2030-01-01T00:00:00Z"), List.of());
        store.write(doc, shorter);

        assertTrue(Files.size(root.resolve(doc)) < longSize, "no tail of the old content remains");
        assertEquals(Optional.of(shorter), store.read(doc, Sample.class));
        assertEquals(List.of("app.json"), fileNames(root.resolve("apps/shop")));
    }

    @Test
    void removeLeftoversDeletesTemporaryFilesOfACrashedWriteOnly() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path doc = Path.of("apps", "shop", "app.json");
        Sample kept = new Sample("shop", Instant.EPOCH, List.of());
        store.write(doc, kept);
        Path dir = root.resolve("apps/shop");
        Files.writeString(dir.resolve(".app.json.tmp-" + UUID.randomUUID()), "{\"name\": \"half");
        Files.writeString(dir.resolve(".app.json.tmp-" + UUID.randomUUID()), "");
        Files.writeString(dir.resolve("notes.txt"), "keep me");

        assertEquals(2, store.removeLeftovers(Path.of("apps", "shop")));

        assertEquals(List.of("app.json", "notes.txt"), fileNames(dir));
        assertEquals(Optional.of(kept), store.read(doc, Sample.class));
        assertEquals(0, store.removeLeftovers(Path.of("apps", "shop")));
    }

    @Test
    void aScratchFileIsOwnerOnlyAndALeftoverAfterACrash() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path scratch = store.scratchFile(Path.of("addons"), "shop-db.dump");
        Files.writeString(scratch, "half a dump");

        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch)));
        assertEquals(1, store.removeLeftovers(Path.of("addons")));
        assertFalse(Files.exists(scratch));
    }

    @Test
    void removeLeftoversOfAMissingDirectoryRemovesNothing() throws IOException {
        DocumentStore store = new DocumentStore(root);

        assertEquals(0, store.removeLeftovers(Path.of("apps", "none")));
    }

    @Test
    void deleteRemovesTheDocumentAndAMissingOneIsNoError() throws IOException {
        DocumentStore store = new DocumentStore(root);
        Path doc = Path.of("apps", "shop", "app.json");
        store.write(doc, new Sample("shop", Instant.EPOCH, List.of()));

        store.delete(doc);
        store.delete(doc);

        assertFalse(Files.exists(root.resolve(doc)));
        assertEquals(Optional.empty(), store.read(doc, Sample.class));
    }

    @Test
    void aRelativePathLeavingTheRootIsRefusedAndNothingIsWrittenOutside() throws IOException {
        Path inner = Files.createDirectories(root.resolve("state"));
        DocumentStore store = new DocumentStore(inner);
        Sample doc = new Sample("x", Instant.EPOCH, List.of());

        assertThrows(IllegalArgumentException.class, () -> store.write(Path.of("../x.json"), doc));
        assertThrows(IllegalArgumentException.class, () -> store.write(Path.of("apps/../../x.json"), doc));
        assertThrows(IllegalArgumentException.class, () -> store.read(Path.of("../x.json"), Sample.class));
        assertThrows(IllegalArgumentException.class, () -> store.delete(Path.of("../x.json")));
        assertThrows(IllegalArgumentException.class, () -> store.removeLeftovers(Path.of("..")));

        assertEquals(List.of("state"), fileNames(root));
        assertEquals(List.of(), fileNames(inner));
    }

    @Test
    void anAbsolutePathIsRefusedEvenInsideTheRoot() throws IOException {
        Path inner = Files.createDirectories(root.resolve("state"));
        Path outside = Files.createDirectories(root.resolve("outside"));
        DocumentStore store = new DocumentStore(inner);
        Sample doc = new Sample("x", Instant.EPOCH, List.of());

        assertThrows(IllegalArgumentException.class, () -> store.write(outside.resolve("x.json"), doc));
        assertThrows(IllegalArgumentException.class, () -> store.write(inner.resolve("x.json"), doc));

        assertEquals(List.of(), fileNames(outside));
        assertEquals(List.of(), fileNames(inner));
    }

    @Test
    void aDeleteOutsideTheRootIsRefusedAndTheFileStays() throws IOException {
        Path inner = Files.createDirectories(root.resolve("state"));
        Path victim = Files.writeString(root.resolve("victim.json"), "{}");
        DocumentStore store = new DocumentStore(inner);

        assertThrows(IllegalArgumentException.class, () -> store.delete(Path.of("../victim.json")));
        assertThrows(IllegalArgumentException.class, () -> store.delete(victim));

        assertTrue(Files.exists(victim));
    }

    @Test
    void concurrentWritersOfDifferentDocumentsDoNotInterfere() throws Exception {
        DocumentStore store = new DocumentStore(root);
        int threads = 6;
        int rounds = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int r = 0; r < rounds; r++) {
                        // All documents share one directory, so their temporary files do too.
                        store.write(Path.of("apps", "doc-" + id + ".json"),
                                new Sample("doc-" + id, Instant.ofEpochSecond(r), List.of("round-" + r)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (int t = 0; t < threads; t++) {
            Sample last = new Sample("doc-" + t, Instant.ofEpochSecond(rounds - 1), List.of("round-" + (rounds - 1)));
            assertEquals(Optional.of(last), store.read(Path.of("apps", "doc-" + t + ".json"), Sample.class));
        }
        List<String> names = fileNames(root.resolve("apps"));
        assertEquals(threads, names.size(), "no temporary files remain: " + names);
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
