package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.LogChunk;

/** The driver rotates the log of a running process, which keeps writing to it. */
class LogRotationTest extends DriverTestSupport {

    @Test
    void aGrowingLogIsRotatedAndTheProcessKeepsWritingToIt() throws Exception {
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withLogRotation(4000, 2, Duration.ofMillis(100)));
        driver.start(launch("shop", "web", 1,
                "i=0; while true; do i=$((i+1)); echo \"line $i ................................................................\"; sleep 0.005; done"));
        Path live = log("shop", "web.1");

        await("two rotations", Duration.ofSeconds(20), () -> Files.exists(LogRotator.rotated(live, 2)));
        long rotatedLast = lastNumber(LogRotator.rotated(live, 1));
        await("more lines in the live log", Duration.ofSeconds(5), () -> lastNumber(live) > rotatedLast + 10);

        assertFalse(Files.exists(LogRotator.rotated(live, 3)), "keeps 2");
        // the live log may have just been truncated again: wait for its first bytes
        await("written at the start of the truncated file, not after a hole", Duration.ofSeconds(5), () -> {
            try {
                byte[] head = Files.readAllBytes(live);
                return head.length > 0 && head[0] != 0;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        // a rotation may be renaming the files right now (web.1.log.1 is briefly missing): look
        // until the two kept files are seen whole, in order
        await("a full first rotated file, newer than the second", Duration.ofSeconds(5), () -> {
            try {
                long older = lastNumber(LogRotator.rotated(live, 2));
                long newer = firstNumber(LogRotator.rotated(live, 1));
                return Files.size(LogRotator.rotated(live, 1)) >= 4000 && older > 0 && older < newer;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void followingARotatedLogShowsEveryLineOnceIncludingRepeatedOnes() throws Exception {
        LocalProcessDriver driver = driver(DriverOptions.DEFAULT.withLogRotation(100, 10, Duration.ofMillis(50)));
        AppName shop = AppName.of("shop");
        LogChunk chunk = driver.tail(shop, 10);
        driver.start(launch("shop", "web", 1,
                "sleep 0.2; for i in $(seq 1 40); do echo same; echo \"n $i\"; sleep 0.02; done; echo done; exec sleep 1000"));
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!seen.contains("web.1 | done") && System.nanoTime() < deadline) {
            chunk = driver.logs(shop, chunk.next(), 7);
            seen.addAll(chunk.lines());
            if (chunk.lines().isEmpty()) {
                Thread.sleep(10);
            }
        }

        assertTrue(Files.exists(LogRotator.rotated(log("shop", "web.1"), 2)), "rotated while followed");
        List<String> app = seen.stream().filter(l -> !l.startsWith("web.1 | [hop3]")).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            expected.add("web.1 | same");
            expected.add("web.1 | n " + i);
        }
        expected.add("web.1 | done");
        assertEquals(expected, app);
    }

    private static long lastNumber(Path file) {
        return number(file, true);
    }

    private static long firstNumber(Path file) {
        return number(file, false);
    }

    private static long number(Path file, boolean last) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> l.startsWith("line ")).toList();
            if (lines.isEmpty()) {
                return -1;
            }
            String line = last ? lines.get(lines.size() - 1) : lines.get(0);
            return Long.parseLong(line.split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
