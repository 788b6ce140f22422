package cloud.hop3.core.impl.backup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many regular files a tar archive holds and their bytes, read from its headers, which a
 * backup records for {@code data.tar} so that a restore check can compare them with what comes
 * out of it. Reads the ustar and GNU forms that {@code tar} writes: sizes in octal or base-256,
 * and the entries that only describe the next one (long names, pax headers), which count for
 * nothing.
 *
 * @param files regular files (hard links to one count once, as what they extract to shares it)
 * @param bytes their sizes added up
 */
record TarContents(long files, long bytes) {

    private static final int BLOCK = 512;

    static TarContents of(Path archive) throws IOException {
        long files = 0;
        long bytes = 0;
        byte[] header = new byte[BLOCK];
        try (InputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            while (true) {
                int n = in.readNBytes(header, 0, BLOCK);
                if (n == 0) {
                    throw new IOException("the archive ends without its end blocks");
                }
                if (isZero(header)) {
                    return new TarContents(files, bytes);
                }
                if (n < BLOCK) {
                    throw new IOException("the archive is cut inside a header");
                }
                long size = size(header);
                byte type = header[156];
                if (type == '0' || type == 0 || type == '7') {
                    files++;
                    bytes += size;
                }
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                try {
                    in.skipNBytes(padded);
                } catch (java.io.EOFException e) {
                    throw new IOException("the archive is cut inside a file", e);
                }
            }
        }
    }

    /**
     * The regular files under {@code dir} and their bytes, not following links; the names of one
     * file (hard links) count once, as in an archive.
     */
    static TarContents ofTree(Path dir) throws IOException {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        long[] sums = new long[2];
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS);
                if (attrs.isRegularFile() && (attrs.fileKey() == null || seen.add(attrs.fileKey()))) {
                    sums[0]++;
                    sums[1] += attrs.size();
                }
            }
        }
        return new TarContents(sums[0], sums[1]);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The size field: octal digits, or base-256 when its first byte has the high bit set. */
    private static long size(byte[] header) throws IOException {
        if ((header[124] & 0x80) != 0) {
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (header[i] & 0xFF);
            }
            return size;
        }
        String octal = new String(header, 124, 12, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar header (size '" + octal + "')");
        }
    }
}
