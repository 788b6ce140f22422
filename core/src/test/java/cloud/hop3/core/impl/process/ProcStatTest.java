package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void parsesStateParentAndSession() {
        ProcStat s = ProcStat.parse("9771 (sh) S 9761 9761 2540 0 -1 4194304 165 57 0 0").orElseThrow();

        assertEquals(new ProcStat(9771, 'S', 9761, 2540), s);
        assertFalse(s.zombie());
    }

    @Test
    void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat s = ProcStat.parse("42 (my (odd) name ) Z 1 42 42 0 -1").orElseThrow();

        assertEquals(new ProcStat(42, 'Z', 1, 42), s);
        assertTrue(s.zombie());
    }

    @Test
    void garbageGivesEmpty() {
        assertEquals(Optional.empty(), ProcStat.parse(""));
        assertEquals(Optional.empty(), ProcStat.parse("12 (x)"));
        assertEquals(Optional.empty(), ProcStat.parse("x (y) S a b c"));
    }

    @Test
    void readsThisJvmAndFindsItAmongAll() {
        assumeTrue(ProcStat.available(), "Linux /proc");
        long pid = ProcessHandle.current().pid();

        ProcStat self = ProcStat.read(pid).orElseThrow();

        assertEquals(pid, self.pid());
        assertTrue(ProcStat.all().stream().anyMatch(s -> s.pid() == pid));
        assertTrue(ProcStat.running(ProcessHandle.current()));
        assertEquals(Optional.empty(), ProcStat.read(Long.MAX_VALUE));
    }
}
