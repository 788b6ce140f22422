import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.core.impl.audit.AuditTrail;

/** Run by scripts/bench-audit: times one audit record, appended and forced to disk, and verify. */
public class AuditTrailBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).resolve("audit");
        int runs = Integer.parseInt(args[1]);
        AuditEntry entry = new AuditEntry(new Actor("ada", Door.SHELL, "192.0.2.7"), "config.set", "shop",
                AuditResult.success(), List.of("DATABASE_URL", "SECRET_KEY"));
        AuditTrail trail = new AuditTrail(Clock.systemUTC());
        trail.open(dir);
        for (int i = 0; i < 200; i++) {
            trail.record(entry);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            trail.record(entry);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        System.out.printf("one record appended and fsynced (%d timed): median %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                runs, nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6, nanos[runs * 99 / 100] / 1e6, nanos[runs - 1] / 1e6);
        long t = System.nanoTime();
        boolean intact = trail.verify().intact();
        System.out.printf("audit:verify over %d records (%d bytes): %.1f ms, intact: %s%n", runs + 200,
                Files.size(trail.file()), (System.nanoTime() - t) / 1e6, intact);
        trail.close();
    }
}
