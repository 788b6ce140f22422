package cloud.hop3.api.app;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Feeds a validator random strings built from the characters that break names: separators, path
 * and shell characters, controls, non-ASCII letters, look-alikes. Seeded, so a failure repeats.
 */
public final class Fuzz {

    private static final String ALPHABET = "abcxyzABZ019-_./\\:;$`'\" \t\n\r\0%*?~@[]{}()<>|&=+,#!"
            + "éÄßıİ\u0130\u0131\u212a\u00a0\u200b\u2024\uff0e\ud83d\ude00";

    private Fuzz() {
    }

    public static void strings(long seed, int count, int maxLength, Consumer<String> check) {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            int length = random.nextInt(maxLength + 1);
            StringBuilder s = new StringBuilder(length);
            for (int j = 0; j < length; j++) {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            check.accept(s.toString());
        }
    }
}
