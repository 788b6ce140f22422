package cloud.hop3.core.impl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.backup.Retention;
import cloud.hop3.core.impl.backup.RetentionRule.Dated;

/** Which backups a retention keeps, counted as restic's forget counts them (UTC). */
class RetentionRuleTest {

    private static List<Dated<String>> at(String... times) {
        List<Dated<String>> all = new ArrayList<>();
        for (String t : times) {
            all.add(new Dated<>(t, Instant.parse(t)));
        }
        return all;
    }

    @Test
    void keepingAllForgetsNothing() {
        assertEquals(List.of(), RetentionRule.forget(Retention.ALL, at("2026-12-01T03:00:00Z", "2026-12-02T03:00:00Z")));
    }

    @Test
    void keepLastKeepsTheNewestAndForgetsTheRestOldestFirst() {
        List<Dated<String>> backups = at("2026-12-03T03:00:00Z", "2026-12-01T03:00:00Z", "2026-12-04T03:00:00Z",
                "2026-12-02T03:00:00Z");
        assertEquals(List.of("2026-12-01T03:00:00Z", "2026-12-02T03:00:00Z"),
                RetentionRule.forget(new Retention(2, 0, 0, 0), backups));
    }

    @Test
    void dailyKeepsTheNewestOfEachOfTheLastDaysThatHaveOne() {
        List<Dated<String>> backups = at("2026-12-05T01:00:00Z", "2026-12-05T13:00:00Z", "2026-12-04T23:59:59Z",
                "2026-12-04T00:00:00Z", "2026-12-01T12:00:00Z", "2026-11-30T12:00:00Z");
        // three days with backups: the 5th (13:00), the 4th (23:59:59) and the 1st (a gap is not a day)
        assertEquals(List.of("2026-11-30T12:00:00Z", "2026-12-04T00:00:00Z", "2026-12-05T01:00:00Z"),
                RetentionRule.forget(new Retention(0, 3, 0, 0), backups));
    }

    @Test
    void weeklyCountsIsoWeeksAndMonthlyCalendarMonthsInUtc() {
        // Monday 2026-11-30 starts a week; Sunday 2026-11-29 ends the one before
        List<Dated<String>> backups = at("2026-12-02T00:00:00Z", "2026-11-30T00:00:00Z", "2026-11-29T23:00:00Z",
                "2026-11-28T00:00:00Z");
        assertEquals(List.of("2026-11-28T00:00:00Z", "2026-11-30T00:00:00Z"),
                RetentionRule.forget(new Retention(0, 0, 2, 0), backups));
        assertEquals(List.of("2026-11-28T00:00:00Z", "2026-11-29T23:00:00Z", "2026-11-30T00:00:00Z"),
                RetentionRule.forget(new Retention(0, 0, 0, 1), backups));
    }

    @Test
    void rulesAddUpAndTheNewestIsAlwaysKept() {
        List<Dated<String>> backups = at("2026-12-05T02:00:00Z", "2026-12-05T01:00:00Z", "2026-11-15T00:00:00Z",
                "2026-10-15T00:00:00Z");
        // last 1 keeps the newest; monthly 2 keeps the newest of December (the same) and of November
        assertEquals(List.of("2026-10-15T00:00:00Z", "2026-12-05T01:00:00Z"),
                RetentionRule.forget(new Retention(1, 0, 0, 2), backups));
        // a count of zero for every rule but one that keeps nothing older still keeps the newest
        assertEquals(List.of("2026-10-15T00:00:00Z", "2026-11-15T00:00:00Z", "2026-12-05T01:00:00Z"),
                RetentionRule.forget(new Retention(0, 0, 0, 1), backups));
    }
}
