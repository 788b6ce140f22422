package cloud.hop3.core.impl.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

    private static ZonedDateTime utc(String iso) {
        return ZonedDateTime.parse(iso + "Z").withZoneSameInstant(ZoneOffset.UTC);
    }

    private static List<ZonedDateTime> fires(String schedule, ZonedDateTime from, int count) {
        CronSchedule cron = CronSchedule.parse(schedule);
        List<ZonedDateTime> out = new ArrayList<>();
        ZonedDateTime t = from;
        for (int i = 0; i < count; i++) {
            t = cron.next(t);
            out.add(t);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} after {1}")
    @CsvSource(delimiter = '|', value = {
        // every minute, across the end of a month and of a leap February
        "* * * * *        | 2024-01-31T23:59:30 | 2024-02-01T00:00",
        "* * * * *        | 2024-02-29T23:59:00 | 2024-03-01T00:00",
        // seconds are dropped, and the next time is strictly after the given one
        "* * * * *        | 2024-05-06T10:00:30 | 2024-05-06T10:01",
        "0 * * * *        | 2024-05-06T10:00:00 | 2024-05-06T11:00",
        // new year
        "0 0 1 1 *        | 2023-12-31T23:59:00 | 2024-01-01T00:00",
        "59 23 31 12 *    | 2024-01-01T00:00:00 | 2024-12-31T23:59",
        "59 23 31 12 *    | 2024-12-31T23:59:00 | 2025-12-31T23:59",
        // the 31st skips the months that lack one
        "30 2 31 * *      | 2024-04-15T00:00:00 | 2024-05-31T02:30",
        "30 2 31 * *      | 2024-05-31T02:30:00 | 2024-07-31T02:30",
        // February 29th waits for a leap year
        "0 0 29 2 *       | 2023-03-01T00:00:00 | 2024-02-29T00:00",
        "0 0 29 2 *       | 2024-02-29T00:00:00 | 2028-02-29T00:00",
        // week days, by number and by name
        "0 12 * * 1-5     | 2024-03-01T13:00:00 | 2024-03-04T12:00",
        "0 12 * * mon-fri | 2024-03-01T13:00:00 | 2024-03-04T12:00",
        "0 12 * * MON-FRI | 2024-03-01T11:00:00 | 2024-03-01T12:00",
        // 0 and 7 are Sunday; 2024-03-03 is a Sunday
        "0 8 * * 0        | 2024-03-01T00:00:00 | 2024-03-03T08:00",
        "0 8 * * 7        | 2024-03-01T00:00:00 | 2024-03-03T08:00",
        "0 8 * * sun      | 2024-03-01T00:00:00 | 2024-03-03T08:00",
        "0 8 * * fri-sun  | 2024-03-02T09:00:00 | 2024-03-03T08:00",
        "0 8 * * 5-7      | 2024-03-03T09:00:00 | 2024-03-08T08:00",
        // months by name, in a list
        "0 0 1 jan,Jul *  | 2024-02-01T00:00:00 | 2024-07-01T00:00",
        "0 0 1 jan,Jul *  | 2024-07-01T00:00:00 | 2025-01-01T00:00",
        // steps
        "*/15 * * * *     | 2024-05-06T10:46:00 | 2024-05-06T11:00",
        "5/15 * * * *     | 2024-05-06T10:51:00 | 2024-05-06T11:05",
        "0 9-17/4 * * *   | 2024-05-06T13:00:00 | 2024-05-06T17:00",
        "0 9-17/4 * * *   | 2024-05-06T17:00:00 | 2024-05-07T09:00",
        "0 0 */10 * *     | 2024-01-21T00:00:00 | 2024-01-31T00:00",
        "0 0 */10 * *     | 2024-01-31T00:00:00 | 2024-02-01T00:00",
        // day of month OR day of week when both are restricted: 2024-01-05 is a Friday
        "0 0 13 * fri     | 2024-01-01T00:00:00 | 2024-01-05T00:00",
        "0 0 13 * fri     | 2024-01-12T00:00:00 | 2024-01-13T00:00",
        // a day of month starting with * is not a restriction: odd days AND Mondays (2024-01-01 is a Monday)
        "0 0 */2 * mon    | 2024-01-01T00:00:00 | 2024-01-15T00:00",
        // February 30th never comes, but with a week day too it is an OR: any Monday in February
        "0 0 30 2 mon     | 2024-01-01T00:00:00 | 2024-02-05T00:00",
    })
    void nextFireTimeInUtc(String schedule, String after, String expected) {
        assertEquals(utc(expected), CronSchedule.parse(schedule).next(utc(after)));
    }

    @Test
    void fixedOffsetZonesUseTheirWallClock() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata"); // +05:30 all year, no daylight saving
        CronSchedule monthly = CronSchedule.parse("0 0 1 * *");

        // 2024-01-31T20:00Z is already 01:30 on February 1st in Kolkata
        ZonedDateTime after = utc("2024-01-31T20:00:00").withZoneSameInstant(kolkata);
        ZonedDateTime next = monthly.next(after);

        assertEquals(ZonedDateTime.of(2024, 3, 1, 0, 0, 0, 0, kolkata), next);
        assertEquals(utc("2024-02-29T18:30:00"), next.withZoneSameInstant(ZoneOffset.UTC));
    }

    @Test
    void fixedOffsetAcrossTheYearEnd() {
        ZoneOffset plusFive = ZoneOffset.ofHours(5);
        ZonedDateTime after = ZonedDateTime.of(2024, 12, 31, 23, 30, 0, 0, plusFive);

        ZonedDateTime next = CronSchedule.parse("15 0 * * *").next(after);

        assertEquals(ZonedDateTime.of(2025, 1, 1, 0, 15, 0, 0, plusFive), next);
        assertEquals(utc("2024-12-31T19:15:00"), next.withZoneSameInstant(ZoneOffset.UTC));
    }

    @Test
    void consecutiveFiresKeepTheirRhythmOverDays() {
        List<ZonedDateTime> times = fires("*/7 * * * *", utc("2024-02-28T23:00:00"), 500);

        for (int i = 0; i < times.size(); i++) {
            ZonedDateTime t = times.get(i);
            assertEquals(0, t.getMinute() % 7, t.toString());
            if (i > 0) {
                assertTrue(t.isAfter(times.get(i - 1)));
            }
        }
        // 8 fires in the first hour (23:00 itself is excluded), then 9 an hour (0, 7, ..., 56):
        // 8 + 54 * 9 = 494 by 2024-03-02T05:56, and the 500th is the 6th fire of the next hour
        assertEquals(utc("2024-03-02T06:35:00"), times.get(times.size() - 1));
    }

    @Test
    void weekdaysOnlyNeverFireAtTheWeekend() {
        for (ZonedDateTime t : fires("30 6 * * mon-fri", utc("2024-12-25T00:00:00"), 30)) {
            assertTrue(t.getDayOfWeek() != DayOfWeek.SATURDAY && t.getDayOfWeek() != DayOfWeek.SUNDAY, t.toString());
            assertEquals(6, t.getHour());
            assertEquals(30, t.getMinute());
        }
    }

    @Test
    void equalSchedulesAreEqualHoweverWritten() {
        assertEquals(CronSchedule.parse("0 0 * * 0"), CronSchedule.parse("0 0 * * 7"));
        assertEquals(CronSchedule.parse("0 0 * * 0"), CronSchedule.parse("0  0 *\t* SUN"));
        assertEquals(CronSchedule.parse("0 0 * 1-3 *").hashCode(), CronSchedule.parse("0 0 * jan-mar *").hashCode());
        assertNotEquals(CronSchedule.parse("0 0 * * 1"), CronSchedule.parse("0 0 * * 2"));
    }

    @Test
    void toStringIsTheExpressionWithSingleSpaces() {
        assertEquals("*/5 1-3 * jan mon", CronSchedule.parse("  */5\t1-3  *  jan mon ").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "61 * * * *         | minute field '61': 61 is out of range 0-59",
        "* 24 * * *         | hour field '24': 24 is out of range 0-23",
        "* * 0 * *          | day-of-month field '0': 0 is out of range 1-31",
        "* * 32 * *         | day-of-month field '32': 32 is out of range 1-31",
        "* * * 13 *         | month field '13': 13 is out of range 1-12",
        "* * * * 8          | day-of-week field '8': 8 is out of range 0-7",
        "*/0 * * * *        | minute field '*/0': the step 0 is not between 1 and 60",
        "*/x * * * *        | minute field '*/x': the step 'x' is not a positive number",
        "5-1 * * * *        | minute field '5-1': the range 5-1 goes backwards",
        "* * * * sat-mon    | day-of-week field 'sat-mon': the range sat-mon goes backwards",
        "-5 * * * *         | minute field '-5': a range needs a value on both sides of '-'",
        "a * * * *          | minute field 'a': 'a' is not a number",
        "* * * foo *        | month field 'foo': 'foo' is not a number or a name (jan, feb, ...)",
        "* * * * monday     | day-of-week field 'monday': 'monday' is not a number or a name (sun, mon, ...)",
        "1,,2 * * * *       | minute field '1,,2': an empty item in a list",
        "007 * * * *        | minute field '007': 007 is out of range 0-59",
        "0 0 30 2 *         | day-of-month field '30': no such day in month field '2', so the schedule never fires",
        "0 0 31 4,6,9,11 *  | day-of-month field '31': no such day in month field '4,6,9,11', so the schedule never fires",
        "* * * *            | a cron schedule has five fields (minute hour day-of-month month day-of-week), not 4: '* * * *'",
        "* * * * * *        | a cron schedule has five fields (minute hour day-of-month month day-of-week), not 6: '* * * * * *'",
    })
    void badSchedulesNameTheField(String schedule, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(schedule));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyScheduleIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("  "));
        assertTrue(e.getMessage().contains("five fields"), e.getMessage());
    }
}
