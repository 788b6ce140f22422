package cloud.hop3.core.impl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the system's tar writes is counted from the archive as it is found after extracting it. */
class TarContentsTest {

    @TempDir
    Path dir;

    @Test
    void theArchivesRegularFilesAndBytesAreThoseItExtractsTo() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data/a/" + "deep-".repeat(30)));
        Files.write(data.resolve("long-name-".repeat(12) + ".bin"), new byte[70_000]);
        Files.writeString(dir.resolve("data/small.txt"), "hello");
        Files.createFile(dir.resolve("data/empty"));
        Files.createLink(dir.resolve("data/hard-link"), dir.resolve("data/small.txt"));
        Files.createSymbolicLink(dir.resolve("data/link"), Path.of("small.txt"));
        Path archive = dir.resolve("data.tar");
        DataArchive.write(dir.resolve("data"), archive);

        TarContents recorded = TarContents.of(archive);
        assertEquals(new TarContents(3, 70_005), recorded, "a hard link and a symbolic link are no more files");
        Path out = Files.createDirectory(dir.resolve("out"));
        DataArchive.extractForCheck(archive, out);
        assertEquals(recorded, TarContents.ofTree(out));

        try (RandomAccessFile f = new RandomAccessFile(archive.toFile(), "rw")) {
            f.setLength(2048);
        }
        assertThrows(IOException.class, () -> TarContents.of(archive));
    }
}
