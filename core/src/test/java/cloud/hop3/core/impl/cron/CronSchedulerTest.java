package cloud.hop3.core.impl.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CronSchedulerTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static ZonedDateTime at(int year, int month, int day, int hour, int minute) {
        return ZonedDateTime.of(year, month, day, hour, minute, 0, 0, PARIS);
    }

    /** Every minute of one day at which the schedule is due. */
    private static List<String> dueMinutes(String schedule, ZonedDateTime day) {
        List<String> due = new ArrayList<>();
        for (ZonedDateTime m = day; m.isBefore(day.plusDays(1)); m = m.plusMinutes(1)) {
            if (CronScheduler.due(schedule, m)) {
                due.add(String.format("%02d:%02d", m.getHour(), m.getMinute()));
            }
        }
        return due;
    }

    @Test
    void everyMinuteIsAlwaysDue() {
        assertEquals(24 * 60, dueMinutes("* * * * *", at(2025, 3, 12, 0, 0)).size());
    }

    @Test
    void aStepIsDueAtItsMinutesOnly() {
        List<String> due = dueMinutes("*/15 9 * * *", at(2025, 3, 12, 0, 0));
        assertEquals(List.of("09:00", "09:15", "09:30", "09:45"), due);
    }

    @Test
    void aDailyJobIsDueOnceADay() {
        assertEquals(List.of("03:30"), dueMinutes("30 3 * * *", at(2025, 3, 12, 0, 0)));
        assertTrue(CronScheduler.due("30 3 * * *", at(2025, 3, 12, 3, 30)));
        assertFalse(CronScheduler.due("30 3 * * *", at(2025, 3, 12, 3, 29)));
        assertFalse(CronScheduler.due("30 3 * * *", at(2025, 3, 12, 3, 31)));
        assertFalse(CronScheduler.due("30 3 * * *", at(2025, 3, 12, 4, 30)));
    }

    @Test
    void aWeeklyJobIsDueOnItsDayOnly() {
        ZonedDateTime sunday = at(2025, 3, 16, 3, 0);
        assertEquals(DayOfWeek.SUNDAY, sunday.getDayOfWeek());
        assertTrue(CronScheduler.due("0 3 * * sun", sunday));
        assertTrue(CronScheduler.due("0 3 * * 0", sunday));
        assertTrue(CronScheduler.due("0 3 * * 7", sunday));
        for (int d = 1; d < 7; d++) {
            assertFalse(CronScheduler.due("0 3 * * sun", sunday.plusDays(d)), sunday.plusDays(d).toString());
        }
    }

    @Test
    void theFirstMinuteOfAYearIsDue() {
        assertTrue(CronScheduler.due("0 0 1 1 *", at(2026, 1, 1, 0, 0)));
        assertFalse(CronScheduler.due("0 0 1 1 *", at(2025, 12, 31, 23, 59)));
    }

    @Test
    void aBadScheduleIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> CronScheduler.due("61 * * * *", at(2025, 3, 12, 0, 0)));
    }
}
