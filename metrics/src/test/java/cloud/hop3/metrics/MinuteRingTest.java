package cloud.hop3.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MinuteRingTest {

    @Test
    void keepsTheLastCapacityMinutesInFixedMemory() {
        MinuteRing ring = new MinuteRing(1440, 2);
        for (long m = 0; m < 3000; m++) {
            ring.put(m, new long[]{m, m * 2});
        }
        assertEquals(1440, ring.size());
        assertNull(ring.get(1559), "a minute older than a day is gone");
        assertArrayEquals(new long[]{1560, 3120}, ring.get(1560));
        List<Long> read = new ArrayList<>();
        ring.read(0, 2999, (m, row) -> read.add(m));
        assertEquals(1440, read.size());
        assertEquals(1560L, read.get(0));
        assertEquals(2999L, read.get(read.size() - 1));
    }

    @Test
    void readsOnlyTheMinutesItHoldsInTheSpanAsked() {
        MinuteRing ring = new MinuteRing(10, 1);
        ring.put(100, new long[]{1});
        ring.put(103, new long[]{3});
        ring.put(108, new long[]{8});
        List<Long> read = new ArrayList<>();
        ring.read(101, 107, (m, row) -> read.add(row[0]));
        assertEquals(List.of(3L), read);
    }

    @Test
    void aRowOfTheWrongWidthIsRefused() {
        MinuteRing ring = new MinuteRing(10, 3);
        assertThrows(IllegalArgumentException.class, () -> ring.put(1, new long[2]));
    }

    @Test
    void writesAndReadsBackKeepingOnlyMinutesAfterTheOldest() throws IOException {
        MinuteRing ring = new MinuteRing(60, 2);
        for (long m = 1000; m < 1030; m++) {
            ring.put(m, new long[]{m, -m});
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ring.write(new DataOutputStream(bytes));
        MinuteRing back = new MinuteRing(60, 2);
        back.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), 1019);
        assertEquals(10, back.size());
        assertArrayEquals(new long[]{1025, -1025}, back.get(1025));
        assertNull(back.get(1019));

        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 3);
        assertThrows(EOFException.class, () -> new MinuteRing(60, 2).read(new DataInputStream(new ByteArrayInputStream(cut)), 0));
    }
}
