package cloud.hop3.api.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ResourceLimitsTest {

    @Test
    void valuesInTheFormsUsersWrite() {
        ResourceLimits l = ResourceLimits.NONE.with("memory", "512M").with("cpu", "0.5").with("processes", "64").with("files", "4096");
        assertEquals(new ResourceLimits(512L << 20, 0.5, 64, 4096), l);
        assertEquals("memory=512M cpu=0.5 processes=64 files=4096", l.toString());
        assertEquals(2L << 30, ResourceLimits.NONE.with("MEMORY", "2g").memoryBytes());
        assertEquals(1536L << 20, ResourceLimits.NONE.with("memory", "1536MiB").memoryBytes());
        assertEquals("2", ResourceLimits.NONE.with("cpu", "2").describe().get("cpu"));
    }

    @Test
    void anEmptyValueRemovesALimit() {
        ResourceLimits l = ResourceLimits.NONE.with("memory", "64M").with("memory", "");
        assertEquals(ResourceLimits.NONE, l);
        assertTrue(l.isEmpty());
    }

    @Test
    void ownLimitsGoOverDefaults() {
        ResourceLimits defaults = ResourceLimits.of(Map.of("memory", "1G", "files", "1024"));
        ResourceLimits own = ResourceLimits.of(Map.of("memory", "64M"));
        assertEquals(ResourceLimits.of(Map.of("memory", "64M", "files", "1024")), own.over(defaults));
    }

    @Test
    void badValuesSayWhatIsExpected() {
        assertEquals("unknown limit 'ram'; the limits are memory, cpu, processes, files",
                assertThrows(IllegalArgumentException.class, () -> ResourceLimits.NONE.with("ram", "1G")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResourceLimits.NONE.with("memory", "-5M"))
                .getMessage().contains("such as 512M"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResourceLimits.NONE.with("memory", "99999999999T"))
                .getMessage().contains("too large"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResourceLimits.NONE.with("cpu", "0"))
                .getMessage().contains("from 0.01"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResourceLimits.NONE.with("files", "8"))
                .getMessage().contains("at least 16"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResourceLimits.NONE.with("processes", "many"))
                .getMessage().contains("whole number"));
    }
}
