package cloud.hop3.backup.restic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.plugin.testkit.BackupStoreContract;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.Programs;
import cloud.hop3.plugin.support.files.Trees;

/** The restic store on a repository in a local directory; {@link ResticSftpBackupStoreTest} runs the same over SFTP. */
class ResticBackupStoreTest extends BackupStoreContract {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path home;
    /**
     * The class's empty repository, made by the store on its first use (restic init, through the
     * class's transport); each test starts from a copy of it, since restic init takes seconds.
     */
    @TempDir
    static Path templates;

    /** Where the repository's files are, on this machine. */
    Path repositoryPath;
    Path passwordFile;
    private ResticBackupStore store;

    @BeforeEach
    void createPasswordFile() throws Exception {
        Programs.require("restic");
        repositoryPath = home.resolve("repository");
        passwordFile = home.resolve("restic-password");
        Files.writeString(passwordFile, PASSWORD + "\n");
        Path template = templates.resolve("repository");
        if (!Files.exists(template)) {
            Path state = templates.resolve("state");
            new ResticBackupStore(ComponentConfig.of(ResticBackupStore.Config.class, "repository", repositoryAt(template),
                    "passwordFile", passwordFile.toString(), "sftpCommand", sftpCommand()), state).list();
            assertTrue(Files.isRegularFile(template.resolve("config")), "the store made the missing repository");
            Trees.delete(state);
        }
        copy(template, repositoryPath);
    }

    /** The repository as the store is configured with it. */
    final String repository() {
        return repositoryAt(repositoryPath);
    }

    /** A repository in {@code path} of this machine, as the store is configured with it. */
    String repositoryAt(Path path) {
        return path.toString();
    }

    /** The SFTP command the store is configured with, empty for restic's default. */
    String sftpCommand() {
        return "";
    }

    ResticBackupStore open(Path password) throws IOException {
        return new ResticBackupStore(ComponentConfig.of(ResticBackupStore.Config.class, "repository", repository(),
                "passwordFile", password.toString(), "sftpCommand", sftpCommand()), home.resolve("state"));
    }

    @Override
    protected BackupStore store() throws IOException {
        if (store == null) {
            store = open(passwordFile);
        }
        return store;
    }

    /**
     * Spoils the part's data in the pack file that holds it, found through restic's index: a
     * part smaller than restic's smallest chunk is one blob whose id is the part's SHA-256. A
     * restic repository cannot lose the end of one file without cutting into others' data, so a
     * "truncated" part is its blob's second half overwritten with zeros.
     */
    @Override
    protected void damage(BackupId id, String part, Damage how) throws Exception {
        String blob = store().manifest(id).orElseThrow().part(part).sha256();
        for (String index : lines(restic("list", "index"))) {
            for (JsonNode pack : new ObjectMapper().readTree(restic("cat", "index", index)).path("packs")) {
                for (JsonNode stored : pack.path("blobs")) {
                    if (stored.path("id").asText().equals(blob)) {
                        String name = pack.path("id").asText();
                        Path file = repositoryPath.resolve("data").resolve(name.substring(0, 2)).resolve(name);
                        spoil(file, stored.path("offset").asLong(), stored.path("length").asLong(), how);
                        return;
                    }
                }
            }
        }
        throw new AssertionError("No blob " + blob + " in the repository");
    }

    private static void spoil(Path pack, long offset, long length, Damage how) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(pack.toFile(), "rw")) {
            file.seek(offset + length / 2);
            if (how == Damage.FLIP_BYTE) {
                int b = file.read();
                file.seek(offset + length / 2);
                file.write(b ^ 0x40);
            } else {
                file.write(new byte[(int) (length - length / 2)]);
            }
        }
    }

    @Test
    void resticAloneRestoresABackupIntoADirectoryNamedByItsApp() throws Exception {
        BackupManifest manifest = putBackup("shop", "shop-20261205t170000z-3f2a", "2026-12-05T17:00:00Z");

        JsonNode snapshots = new ObjectMapper().readTree(restic("snapshots", "--json"));
        assertEquals(1, snapshots.size());
        List<String> tags = new ArrayList<>();
        snapshots.get(0).path("tags").forEach(t -> tags.add(t.asText()));
        assertEquals(List.of("hop3", "app=shop", "id=shop-20261205t170000z-3f2a"), tags);
        Path target = home.resolve("restored");
        restic("restore", snapshots.get(0).path("id").asText(), "--target", target.toString());
        Path files = target.resolve("app-shop");
        assertArrayEquals(manifest.toBytes(), Files.readAllBytes(files.resolve("manifest.txt")));
        Path fresh = emptyDirectory();
        store().get(manifest.id(), fresh);
        for (BackupPart part : manifest.parts()) {
            assertArrayEquals(Files.readAllBytes(fresh.resolve(part.name())), Files.readAllBytes(files.resolve(part.name())));
        }
    }

    @Test
    void aWrongPasswordIsRefusedInResticsWordsWithoutShowingAPassword() throws Exception {
        putBackup("shop", "shop-1", "2026-12-05T17:00:00Z");
        Path wrong = home.resolve("wrong-password");
        Files.writeString(wrong, "not the password\n");

        BackupException refused = assertThrows(BackupException.class, () -> open(wrong).list());

        assertTrue(refused.getMessage().contains("wrong password"), refused.getMessage());
        assertFalse(refused.getMessage().contains("not the password"), refused.getMessage());
        assertFalse(refused.getMessage().contains(PASSWORD), refused.getMessage());
    }

    @Test
    void aSecondBackupOfUnchangedPartsAddsAlmostNothingToTheRepository() throws Exception {
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Map<String, byte[]> parts = Map.of("data.tar", data, "repo.bundle", "bundle".getBytes(StandardCharsets.UTF_8));
        BackupManifest first = manifest("shop", "shop-11", "2026-12-05T17:00:00Z", parts);
        store().put(first, write(first, parts));
        long before = size(repositoryPath);
        BackupManifest second = manifest("shop", "shop-12", "2026-12-06T17:00:00Z", parts);

        store().put(second, write(second, parts));

        long added = size(repositoryPath) - before;
        assertTrue(before > data.length, "the first backup stored the data: " + before);
        assertTrue(added < data.length / 50, "the second backup added " + added + " bytes for " + data.length);
        Path into = emptyDirectory();
        store().get(second.id(), into);
        assertArrayEquals(data, Files.readAllBytes(into.resolve("data.tar")));
    }

    @Test
    void aSecondBackupOfTheSameAppHasTheFirstAsParentSoResticCanSkipItsUnchangedFiles() throws Exception {
        Map<String, byte[]> parts = parts();
        BackupManifest first = manifest("shop", "shop-21", "2026-12-05T17:00:00Z", parts);
        Path taken = write(first, parts);
        store().put(first, taken);
        BackupManifest other = manifest("blog", "blog-21", "2026-12-05T18:00:00Z", parts);
        store().put(other, write(other, parts));
        // the next backup of shop keeps every part: the platform links the files it took before
        BackupManifest second = manifest("shop", "shop-22", "2026-12-06T17:00:00Z", parts);
        Path kept = emptyDirectory();
        for (String part : parts.keySet()) {
            Files.createLink(kept.resolve(part), taken.resolve(part));
        }

        store().put(second, kept);

        Map<String, JsonNode> snapshots = new HashMap<>();
        for (JsonNode snapshot : new ObjectMapper().readTree(restic("snapshots", "--json"))) {
            snapshot.path("tags").forEach(tag -> snapshots.put(tag.asText(), snapshot));
        }
        assertEquals(snapshots.get("id=shop-21").path("id").asText(), snapshots.get("id=shop-22").path("parent").asText(),
                "the second backup of shop has the first as parent, not blog's");
        String listing = restic("diff", snapshots.get("id=shop-21").path("id").asText(),
                snapshots.get("id=shop-22").path("id").asText());
        assertTrue(listing.contains("/app-shop/manifest.txt"), listing);
        assertFalse(listing.contains("data.tar"), "an unchanged part is the same in both: " + listing);
        Path into = emptyDirectory();
        store().get(second.id(), into);
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            assertArrayEquals(part.getValue(), Files.readAllBytes(into.resolve(part.getKey())), part.getKey());
        }
    }

    /** Runs restic on the test's repository, as an operator would, and returns its standard output. */
    String restic(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("restic", "-r", repository()));
        if (!sftpCommand().isEmpty()) {
            command.addAll(List.of("-o", "sftp.command=" + sftpCommand()));
        }
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("RESTIC_PASSWORD_FILE", passwordFile.toString());
        builder.environment().put("RESTIC_CACHE_DIR", home.resolve("test-cache").toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "restic " + String.join(" ", arguments));
        return output;
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(from.relativize(f).toString()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
