package cloud.hop3.core.impl.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the app contract files from a pushed source tree, which nobody has checked yet: a file
 * must be a regular file inside the tree (a symbolic link may not lead out of it), at most
 * {@value #MAX_BYTES} bytes, and UTF-8 text. A leading byte order mark is dropped.
 */
final class ManifestFiles {

    /** 64 KB: far more than any real Procfile, hop3.toml or app.json needs. */
    static final int MAX_BYTES = 64 * 1024;

    private ManifestFiles() {
    }

    /**
     * The text of {@code name} in {@code directory}, or empty when there is no such file.
     *
     * @throws ManifestException when the file is there but unusable
     */
    static Optional<String> read(Path directory, String name) throws ManifestException {
        Path file = directory.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            if (Files.isSymbolicLink(file)) {
                Path target = file.toRealPath();
                if (!target.startsWith(directory.toRealPath())) {
                    throw new ManifestException(name, "is a symbolic link that leads out of the app");
                }
            }
            if (!Files.isRegularFile(file)) {
                throw new ManifestException(name, "is not a regular file");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1);
            }
            if (bytes.length > MAX_BYTES) {
                throw new ManifestException(name, "is larger than 64 KB (" + MAX_BYTES + " bytes)");
            }
            return Optional.of(decode(name, bytes));
        } catch (NoSuchFileException e) {
            throw new ManifestException(name, "is a symbolic link that leads nowhere");
        } catch (IOException e) {
            // The message of a file system exception is a server path: say what happened, not where.
            throw new ManifestException(name, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Decodes strict UTF-8, naming the line of the first byte that is not. */
    static String decode(String name, byte[] bytes) throws ManifestException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int position = in.position();
            int line = 1;
            for (int i = 0; i < position && i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ManifestException(name, line, String.format("not UTF-8 text (byte 0x%02X)",
                    position < bytes.length ? bytes[position] & 0xFF : 0));
        }
        out.flip();
        String text = out.toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
