package cloud.hop3.core.impl.manifest;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A standard five-field cron schedule: minute, hour, day of month, month, day of week.
 * <p>
 * Each field is {@code *}, a number, a range {@code a-b}, a step <code>&#42;/n</code>, {@code a-b/n} or
 * {@code a/n} (from {@code a} to the end of the field), or a comma-separated list of these.
 * Months and days of the week may be written as English three-letter names ({@code jan},
 * {@code mon}, in any case); 0 and 7 are both Sunday. As in Vixie cron, when both the day of
 * the month and the day of the week are restricted (neither field starts with {@code *}), a day
 * matches when <em>either</em> matches; otherwise both must match.
 * <p>
 * Times are wall-clock times in the zone of the instant given to {@link #next}. Across a
 * daylight-saving change a time that does not exist fires at the same instant shifted by the
 * gap, and a repeated hour fires once. Schedules that can never fire ({@code 0 0 30 2 *}) are
 * rejected when parsed.
 */
public final class CronSchedule {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun",
            "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final int[] LONGEST_MONTH = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** Enough for any schedule that can fire at all: the Gregorian calendar repeats every 400 years. */
    private static final int SEARCH_YEARS = 400;

    private enum Field {
        MINUTE("minute", 0, 59, List.of()),
        HOUR("hour", 0, 23, List.of()),
        DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
        MONTH("month", 1, 12, MONTHS),
        DAY_OF_WEEK("day-of-week", 0, 7, DAYS);

        final String label;
        final int min;
        final int max;
        final List<String> names;

        Field(String label, int min, int max, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }
    }

    private final String expression;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean dayOfMonthRestricted;
    private final boolean dayOfWeekRestricted;

    private CronSchedule(String expression, long[] bits, boolean dayOfMonthRestricted, boolean dayOfWeekRestricted) {
        this.expression = expression;
        this.minutes = bits[0];
        this.hours = bits[1];
        this.daysOfMonth = bits[2];
        this.months = bits[3];
        this.daysOfWeek = bits[4];
        this.dayOfMonthRestricted = dayOfMonthRestricted;
        this.dayOfWeekRestricted = dayOfWeekRestricted;
    }

    /**
     * Parses five whitespace-separated fields.
     *
     * @throws IllegalArgumentException naming the bad field, for example
     *                                  {@code minute field '61': 61 is out of range 0-59}
     */
    public static CronSchedule parse(String fiveFields) {
        Objects.requireNonNull(fiveFields, "fiveFields");
        String trimmed = fiveFields.strip();
        String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("a cron schedule has five fields (minute hour day-of-month month"
                    + " day-of-week), not " + parts.length + ": '" + trimmed + "'");
        }
        Field[] fields = Field.values();
        long[] bits = new long[5];
        for (int i = 0; i < 5; i++) {
            bits[i] = parseField(parts[i], fields[i]);
        }
        boolean domRestricted = !parts[2].startsWith("*");
        boolean dowRestricted = !parts[4].startsWith("*");
        if (!(domRestricted && dowRestricted) && !anyDayExists(bits[2], bits[3])) {
            throw new IllegalArgumentException("day-of-month field '" + parts[2] + "': no such day in month field '"
                    + parts[3] + "', so the schedule never fires");
        }
        return new CronSchedule(String.join(" ", parts), bits, domRestricted, dowRestricted);
    }

    /**
     * The first time strictly after {@code after}, to the minute, at which the schedule fires,
     * in the zone of {@code after}.
     */
    public ZonedDateTime next(ZonedDateTime after) {
        LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int lastYear = t.getYear() + SEARCH_YEARS;
        while (t.getYear() <= lastYear) {
            if (!has(months, t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!has(hours, t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!has(minutes, t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                ZonedDateTime candidate = ZonedDateTime.ofLocal(t, after.getZone(), after.getOffset());
                if (candidate.isAfter(after)) {
                    return candidate;
                }
                t = t.plusMinutes(1);
            }
        }
        // parse() rejects schedules that never fire, so this is a bug, not bad input.
        throw new IllegalStateException("The cron schedule '" + expression + "' found no time to fire in "
                + SEARCH_YEARS + " years");
    }

    /** The five fields as written, separated by single spaces. */
    @Override
    public String toString() {
        return expression;
    }

    /** Two schedules are equal when they fire at the same times. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule other
                && minutes == other.minutes && hours == other.hours && daysOfMonth == other.daysOfMonth
                && months == other.months && daysOfWeek == other.daysOfWeek
                && (dayOfMonthRestricted && dayOfWeekRestricted)
                        == (other.dayOfMonthRestricted && other.dayOfWeekRestricted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(minutes, hours, daysOfMonth, months, daysOfWeek, dayOfMonthRestricted && dayOfWeekRestricted);
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = has(daysOfMonth, date.getDayOfMonth());
        boolean dow = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
        return dayOfMonthRestricted && dayOfWeekRestricted ? dom || dow : dom && dow;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private static boolean anyDayExists(long days, long months) {
        for (int month = 1; month <= 12; month++) {
            if (has(months, month)) {
                for (int day = 1; day <= LONGEST_MONTH[month]; day++) {
                    if (has(days, day)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static long parseField(String text, Field field) {
        long bits = 0;
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw bad(field, text, "an empty item in a list");
            }
            bits |= parseItem(item, text, field);
        }
        if (field == Field.DAY_OF_WEEK && has(bits, 7)) {
            bits = (bits & ~(1L << 7)) | 1L;
        }
        return bits;
    }

    private static long parseItem(String item, String text, Field field) {
        String range = item;
        int step = 1;
        int slash = item.indexOf('/');
        if (slash >= 0) {
            range = item.substring(0, slash);
            String stepText = item.substring(slash + 1);
            if (!stepText.matches("[0-9]{1,3}")) {
                throw bad(field, text, "the step '" + stepText + "' is not a positive number");
            }
            step = Integer.parseInt(stepText);
            if (step == 0 || step > field.max - field.min + 1) {
                throw bad(field, text, "the step " + step + " is not between 1 and " + (field.max - field.min + 1));
            }
        }
        int low;
        int high;
        if (range.equals("*")) {
            low = field.min;
            high = field == Field.DAY_OF_WEEK ? 6 : field.max;
        } else {
            int dash = range.indexOf('-');
            if (dash >= 0) {
                low = value(range.substring(0, dash), text, field, false);
                high = value(range.substring(dash + 1), text, field, true);
                if (low > high) {
                    throw bad(field, text, "the range " + range + " goes backwards");
                }
            } else {
                low = value(range, text, field, false);
                high = slash >= 0 ? field.max : low;
            }
        }
        long bits = 0;
        for (int v = low; v <= high; v += step) {
            bits |= 1L << v;
        }
        return bits;
    }

    private static int value(String token, String text, Field field, boolean rangeEnd) {
        if (token.isEmpty()) {
            throw bad(field, text, "a range needs a value on both sides of '-'");
        }
        if (token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (token.length() > 2 || Integer.parseInt(token) < field.min || Integer.parseInt(token) > field.max) {
                throw bad(field, text, token + " is out of range " + field.min + "-" + field.max);
            }
            return Integer.parseInt(token);
        }
        int index = field.names.indexOf(token.toLowerCase(Locale.ROOT));
        if (index < 0) {
            String names = field.names.isEmpty() ? "" : " or a name (" + field.names.get(0) + ", " + field.names.get(1) + ", ...)";
            throw bad(field, text, "'" + token + "' is not a number" + names);
        }
        if (field == Field.MONTH) {
            return index + 1;
        }
        // "fri-sun" reads naturally; let Sunday end a range as 7.
        return rangeEnd && index == 0 ? 7 : index;
    }

    private static IllegalArgumentException bad(Field field, String text, String problem) {
        return new IllegalArgumentException(field.label + " field '" + text + "': " + problem);
    }
}
