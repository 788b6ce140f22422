package cloud.hop3.api.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;

class AuditEntryTest {

    private static final Actor ADA = new Actor("ada", Door.SHELL, "10.0.0.7");

    @Test
    void aDetailNamesThingsAndCannotHoldAValue() {
        AuditEntry e = new AuditEntry(ADA, "config.set", "shop", AuditResult.success(), List.of("DATABASE_URL", "SECRET_KEY"));
        assertEquals(List.of("DATABASE_URL", "SECRET_KEY"), e.details());
        IllegalArgumentException pair = assertThrows(IllegalArgumentException.class,
                () -> new AuditEntry(ADA, "config.set", "shop", AuditResult.success(), List.of("SECRET_KEY=hunter2")));
        assertTrue(pair.getMessage().contains("never holds a value"), pair.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new AuditEntry(ADA, "config.set", "shop", AuditResult.success(), List.of("two words")));
        assertThrows(IllegalArgumentException.class,
                () -> new AuditEntry(ADA, "config.set", "shop", AuditResult.success(), List.of("")));
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry(ADA, "config.set", "shop", AuditResult.success(),
                Collections.nCopies(AuditEntry.MAX_DETAILS + 1, "X")));
    }

    @Test
    void actionsAreDottedLowerCaseVerbsAndTargetsOneWord() {
        new AuditEntry(ADA, "addon.credentials-rotate", "db1", AuditResult.success(), List.of());
        for (String bad : new String[] {"deploy", "Config.set", "config set", "config.", ".set", "config.set\n"}) {
            assertThrows(IllegalArgumentException.class, () -> new AuditEntry(ADA, bad, "shop", AuditResult.success(), null),
                    bad);
        }
        for (String bad : new String[] {"", "two words", "line\nbreak", "x".repeat(254)}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new AuditEntry(ADA, "app.create", bad, AuditResult.success(), null), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry(null, "app.create", "shop", AuditResult.success(), null));
        assertThrows(IllegalArgumentException.class, () -> new AuditEntry(ADA, "app.create", "shop", null, null));
    }

    @Test
    void aResultIsOkOrAFailureOnOneBoundedLine() {
        assertEquals("ok", AuditResult.success().toString());
        AuditResult failed = AuditResult.failed("The build failed:\n  exit 1\t(npm)");
        assertEquals("failed: The build failed: exit 1 (npm)", failed.toString());
        assertEquals(failed, AuditResult.parse(failed.toString()));
        assertEquals(AuditResult.success(), AuditResult.parse("ok"));
        assertEquals("failed: no reason given", AuditResult.failed("  ").toString());
        assertEquals(AuditResult.MAX_REASON, AuditResult.failed("x".repeat(1000)).reason().length());
        assertThrows(IllegalArgumentException.class, () -> AuditResult.parse("fine"));
        assertThrows(IllegalArgumentException.class, () -> new AuditResult(true, "but why"));
    }

    @Test
    void recordsCarryValidHashes() {
        AuditEntry e = new AuditEntry(ADA, "app.create", "shop", AuditResult.success(), null);
        String h = "ab".repeat(32);
        AuditRecord r = new AuditRecord(1, Instant.EPOCH, e, AuditRecord.GENESIS, h);
        assertEquals("ada", r.actor().user());
        assertThrows(IllegalArgumentException.class, () -> new AuditRecord(0, Instant.EPOCH, e, AuditRecord.GENESIS, h));
        assertThrows(IllegalArgumentException.class, () -> new AuditRecord(1, Instant.EPOCH, e, AuditRecord.GENESIS, "AB".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new AuditRecord(1, Instant.EPOCH, e, "0", h));
    }

    @Test
    void filtersRefuseWhatCannotMatch() {
        AuditFilter f = AuditFilter.all(100);
        assertEquals(40, f.after(40).cursor());
        assertThrows(IllegalArgumentException.class, () -> AuditFilter.all(0));
        assertThrows(IllegalArgumentException.class, () -> AuditFilter.all(AuditFilter.MAX_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> f.after(-1));
        assertThrows(IllegalArgumentException.class,
                () -> new AuditFilter(Optional.empty(), Optional.of("Not A User"), Optional.empty(), 0, 10));
    }

    @Test
    void aVerificationThatFoundABreakSaysWhat() {
        assertTrue(new AuditVerification(3, 1, Optional.empty(), "").intact());
        assertFalse(new AuditVerification(3, 1, Optional.of(2L), "line 2 was edited").intact());
        assertThrows(IllegalArgumentException.class, () -> new AuditVerification(3, 1, Optional.of(2L), ""));
        assertThrows(IllegalArgumentException.class, () -> new AuditVerification(3, 1, Optional.empty(), "odd"));
    }
}
