package cloud.hop3.addon.redis;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The keys a dump holds, in the key of {@link RedisDatabase#count} ({@code keys}), from either
 * form the plugin writes: an embedded add-on's RDB file, where each database's {@code RESIZEDB}
 * opcode (0xFB) gives its size, or an external add-on's {@code RESTORE} commands, one a key.
 * <p>
 * To reach the next database of an RDB file the values in between are skipped; a file whose
 * values the skipping does not know (streams, modules) or that has no {@code RESIZEDB} is not
 * counted: the answer is then empty, which says that the plugin cannot tell.
 */
final class DumpCounts {

    private static final int EOF = 0xFF;
    private static final int SELECTDB = 0xFE;
    private static final int EXPIRETIME = 0xFD;
    private static final int EXPIRETIME_MS = 0xFC;
    private static final int RESIZEDB = 0xFB;
    private static final int AUX = 0xFA;
    private static final int FREQ = 0xF9;
    private static final int IDLE = 0xF8;
    private static final int FUNCTION2 = 0xF5;

    private DumpCounts() {
    }

    static Map<String, Long> count(InputStream dump) throws IOException {
        InputStream in = new BufferedInputStream(dump, 1 << 16);
        in.mark(1);
        int first = in.read();
        in.reset();
        if (first == 'R') {
            OptionalLong keys = rdb(new DataInputStream(in));
            return keys.isPresent() ? Map.of("keys", keys.getAsLong()) : Map.of();
        }
        long keys = 0;
        while (true) {
            in.mark(1);
            if (in.read() < 0) {
                return Map.of("keys", keys);
            }
            in.reset();
            Object command = RespConnection.read(in);
            if (!(command instanceof List<?> words) || words.size() != 5 || !"RESTORE".equals(RespConnection.asText(words.get(0)))) {
                throw new IOException("not a dump of a Redis add-on (RDB, or RESTORE commands)");
            }
            keys++;
        }
    }

    /** The sum of the RDB file's {@code RESIZEDB} sizes, or empty when the file cannot say. */
    private static OptionalLong rdb(DataInputStream in) throws IOException {
        byte[] magic = new byte[9];
        in.readFully(magic);
        if (!new String(magic, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS")) {
            throw new IOException("not an RDB file");
        }
        long keys = 0;
        boolean resized = false;
        while (true) {
            int op = in.readUnsignedByte();
            switch (op) {
                case EOF -> {
                    return OptionalLong.of(keys);
                }
                case SELECTDB -> {
                    length(in);
                    resized = false;
                }
                case RESIZEDB -> {
                    keys += length(in);
                    length(in);
                    resized = true;
                }
                case AUX -> {
                    skipString(in);
                    skipString(in);
                }
                case FUNCTION2 -> skipString(in);
                case EXPIRETIME -> in.skipNBytes(4);
                case EXPIRETIME_MS -> in.skipNBytes(8);
                case FREQ -> in.skipNBytes(1);
                case IDLE -> length(in);
                default -> {
                    if (!resized) {
                        return OptionalLong.empty(); // a key before its database's size, or an unknown opcode
                    }
                    skipString(in); // the key
                    if (!skipValue(op, in)) {
                        return OptionalLong.empty();
                    }
                }
            }
        }
    }

    /** Skips a value of {@code type}; false when the type is not one this knows. */
    private static boolean skipValue(int type, DataInputStream in) throws IOException {
        switch (type) {
            case 0, 9, 10, 11, 12, 13, 16, 17, 20 -> skipString(in); // a string, or one encoded blob
            case 1, 2 -> skipStrings(in, length(in)); // list, set
            case 4 -> skipStrings(in, 2 * length(in)); // hash
            case 14 -> skipStrings(in, length(in)); // quicklist of ziplists
            case 18 -> { // quicklist of listpacks: container kind, then the blob
                for (long n = length(in); n > 0; n--) {
                    length(in);
                    skipString(in);
                }
            }
            case 3 -> { // zset with scores as strings
                for (long n = length(in); n > 0; n--) {
                    skipString(in);
                    int len = in.readUnsignedByte();
                    if (len < 253) {
                        in.skipNBytes(len);
                    }
                }
            }
            case 5 -> { // zset with binary scores
                for (long n = length(in); n > 0; n--) {
                    skipString(in);
                    in.skipNBytes(8);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void skipStrings(DataInputStream in, long n) throws IOException {
        for (; n > 0; n--) {
            skipString(in);
        }
    }

    /** An RDB length; the special string encodings are read by {@link #skipString}. */
    private static long length(DataInputStream in) throws IOException {
        int b = in.readUnsignedByte();
        return switch (b >> 6) {
            case 0 -> b & 0x3F;
            case 1 -> ((b & 0x3F) << 8) | in.readUnsignedByte();
            case 2 -> b == 0x80 ? Integer.toUnsignedLong(in.readInt()) : b == 0x81 ? in.readLong() : bad(b);
            default -> bad(b);
        };
    }

    private static void skipString(DataInputStream in) throws IOException {
        in.mark(1);
        int b = in.readUnsignedByte();
        if (b >> 6 != 3) {
            in.reset();
            in.skipNBytes(length(in));
            return;
        }
        switch (b & 0x3F) {
            case 0 -> in.skipNBytes(1);
            case 1 -> in.skipNBytes(2);
            case 2 -> in.skipNBytes(4);
            case 3 -> { // LZF: compressed length, then the length once uncompressed
                long compressed = length(in);
                length(in);
                in.skipNBytes(compressed);
            }
            default -> bad(b);
        }
    }

    private static long bad(int b) throws IOException {
        throw new IOException("damaged RDB file (length byte 0x" + Integer.toHexString(b) + ")");
    }
}
