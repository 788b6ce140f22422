package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.Database;

/**
 * Checks of a {@link Database}'s dumps against its live add-ons: what a dump holds, as
 * {@link Database#countDump} counts it, is what {@link Database#count} counts in the add-on.
 */
public final class DatabaseDumps {

    private DatabaseDumps() {
    }

    /**
     * Dumps add-on {@code name} and asserts that both the add-on and its dump count {@code expected}.
     *
     * @return the dump
     */
    public static byte[] assertDumpCounts(Database database, AddonName name, AddonCredentials credentials,
                                          Map<String, Long> expected) throws AddonException {
        ByteArrayOutputStream dump = new ByteArrayOutputStream();
        database.dump(name, credentials, dump);
        assertEquals(expected, database.count(name, credentials), "the add-on's count");
        assertEquals(expected, database.countDump(new ByteArrayInputStream(dump.toByteArray())), "the dump's count");
        return dump.toByteArray();
    }
}
