package cloud.hop3.metrics;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A fixed ring of minutes, each a row of {@code fields} numbers: the slot of a minute is its number
 * modulo the capacity, so the memory is fixed and a minute older than the capacity is overwritten
 * by the one that takes its slot. Thread-safe.
 */
final class MinuteRing {

    private static final long EMPTY = Long.MIN_VALUE;

    private final int fields;
    private final long[] minutes;
    private final long[] values;

    MinuteRing(int capacity, int fields) {
        if (capacity < 1 || fields < 1) {
            throw new IllegalArgumentException("A ring needs a capacity and fields");
        }
        this.fields = fields;
        this.minutes = new long[capacity];
        this.values = new long[capacity * fields];
        Arrays.fill(minutes, EMPTY);
    }

    int capacity() {
        return minutes.length;
    }

    int fields() {
        return fields;
    }

    /** Stores the row of a minute (epoch minutes), replacing what its slot held. */
    synchronized void put(long minute, long[] row) {
        if (row.length != fields) {
            throw new IllegalArgumentException("A row has " + fields + " fields, not " + row.length);
        }
        int slot = (int) Math.floorMod(minute, (long) minutes.length);
        minutes[slot] = minute;
        System.arraycopy(row, 0, values, slot * fields, fields);
    }

    /** The row of a minute, or null when the ring does not hold it. */
    synchronized long[] get(long minute) {
        int slot = (int) Math.floorMod(minute, (long) minutes.length);
        if (minutes[slot] != minute) {
            return null;
        }
        return Arrays.copyOfRange(values, slot * fields, slot * fields + fields);
    }

    /** What is done with each minute read. */
    @FunctionalInterface
    interface Visitor {
        void minute(long minute, long[] row);
    }

    /** Visits the minutes held from {@code from} to {@code to} (inclusive), oldest first. */
    synchronized void read(long from, long to, Visitor visitor) {
        long start = Math.max(from, to - minutes.length + 1);
        for (long m = start; m <= to; m++) {
            int slot = (int) Math.floorMod(m, (long) minutes.length);
            if (minutes[slot] == m) {
                visitor.minute(m, Arrays.copyOfRange(values, slot * fields, slot * fields + fields));
            }
        }
    }

    /** Visits every minute held, oldest first. */
    synchronized void each(Visitor visitor) {
        long newest = Long.MIN_VALUE;
        for (long m : minutes) {
            newest = Math.max(newest, m);
        }
        if (newest != EMPTY) {
            read(newest - minutes.length + 1, newest, visitor);
        }
    }

    /** How many minutes it holds. */
    synchronized int size() {
        int n = 0;
        for (long m : minutes) {
            if (m != EMPTY) {
                n++;
            }
        }
        return n;
    }

    /** Writes the minutes held: their count, then each minute and its row. */
    synchronized void write(DataOutput out) throws IOException {
        out.writeInt(size());
        for (int slot = 0; slot < minutes.length; slot++) {
            if (minutes[slot] != EMPTY) {
                out.writeLong(minutes[slot]);
                for (int f = 0; f < fields; f++) {
                    out.writeLong(values[slot * fields + f]);
                }
            }
        }
    }

    /**
     * Reads what {@link #write} wrote (by a ring of as many fields), keeping the minutes after
     * {@code oldest}.
     *
     * @throws IOException when the data is cut short or holds more minutes than a ring can
     */
    void read(DataInput in, long oldest) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > minutes.length) {
            throw new IOException("a ring of " + minutes.length + " minutes cannot hold " + n);
        }
        long[] row = new long[fields];
        for (int i = 0; i < n; i++) {
            long minute = in.readLong();
            for (int f = 0; f < fields; f++) {
                row[f] = in.readLong();
            }
            if (minute > oldest) {
                put(minute, row);
            }
        }
    }
}
