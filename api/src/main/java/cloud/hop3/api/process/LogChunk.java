package cloud.hop3.api.process;

import java.util.List;

/**
 * Lines of an app's process output, and the position to continue from.
 * <p>
 * A follower ({@code app:logs -f}, the dashboard's live log) reads the tail once, then asks again
 * and again from the {@code next} of the chunk it got: each line written is shown once, including
 * lines equal to the ones before them, and the logs' rotation loses nothing that the rotated files
 * still hold.
 *
 * @param lines the lines, oldest first, without line terminators, each prefixed with the process
 *              ({@code web.1 | })
 * @param next  where the next read continues: an opaque text that only the driver that returned it
 *              understands; never null
 */
public record LogChunk(List<String> lines, String next) {

    /** @throws NullPointerException when {@code next} is null */
    public LogChunk {
        lines = List.copyOf(lines);
        if (next == null) {
            throw new NullPointerException("next");
        }
    }
}
