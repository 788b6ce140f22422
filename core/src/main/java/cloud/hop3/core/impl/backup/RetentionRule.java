package cloud.hop3.core.impl.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import cloud.hop3.api.backup.Retention;

/**
 * Which backups a {@link Retention} keeps, counted as restic's {@code forget} counts them: the
 * newest {@code last}; for each of the newest {@code daily} days (UTC) that have a backup, the
 * newest backup of that day; likewise per ISO week and per month. A backup kept by any rule is
 * kept, the newest one always, and a retention that keeps all keeps all. Pure: it sees times and
 * returns what to delete, so that it is tested without a store.
 */
public final class RetentionRule {

    /** A backup as the rule sees it. */
    public record Dated<T>(T id, Instant created) {
    }

    private RetentionRule() {
    }

    /**
     * @param backups good backups of one app, in any order
     * @return those {@code retention} does not keep, oldest first
     */
    public static <T> List<T> forget(Retention retention, List<Dated<T>> backups) {
        if (retention.keepsAll() || backups.isEmpty()) {
            return List.of();
        }
        List<Dated<T>> newestFirst = new ArrayList<>(backups);
        newestFirst.sort(Comparator.comparing((Dated<T> d) -> d.created()).reversed());
        Set<Dated<T>> kept = new LinkedHashSet<>();
        kept.add(newestFirst.get(0));
        for (int i = 0; i < Math.min(retention.last(), newestFirst.size()); i++) {
            kept.add(newestFirst.get(i));
        }
        keepNewestPer(newestFirst, retention.daily(), t -> t.toLocalDate().toString(), kept);
        keepNewestPer(newestFirst, retention.weekly(),
                t -> t.get(IsoFields.WEEK_BASED_YEAR) + "-W" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), kept);
        keepNewestPer(newestFirst, retention.monthly(), t -> t.getYear() + "-" + t.getMonthValue(), kept);
        List<T> forgotten = new ArrayList<>();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            if (!kept.contains(newestFirst.get(i))) {
                forgotten.add(newestFirst.get(i).id());
            }
        }
        return forgotten;
    }

    /** Keeps the newest backup of each of the newest {@code count} periods that have one. */
    private static <T> void keepNewestPer(List<Dated<T>> newestFirst, int count, Function<ZonedDateTime, String> period,
                                          Set<Dated<T>> kept) {
        Set<String> seen = new HashSet<>();
        for (Dated<T> d : newestFirst) {
            if (seen.size() >= count) {
                return;
            }
            if (seen.add(period.apply(d.created().atZone(ZoneOffset.UTC)))) {
                kept.add(d);
            }
        }
    }
}
