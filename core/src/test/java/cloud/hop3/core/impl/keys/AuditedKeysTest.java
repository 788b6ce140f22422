package cloud.hop3.core.impl.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.audit.AuditFilter;
import cloud.hop3.api.audit.AuditRecord;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.audit.AuditTrail;

/** Keys added, refused and removed are recorded in the audit trail by name, as their actor. */
class AuditedKeysTest {

    @TempDir
    Path home;

    @TempDir
    Path ssh;

    @Test
    void keyChangesAreRecordedByName() throws Exception {
        AuditTrail trail = new AuditTrail(Clock.systemUTC());
        trail.open(home.resolve("audit"));
        AuthorizedKeys keys = new AuthorizedKeys(home, Clock.systemUTC());
        keys.audit(trail);
        SshKeygen.KeyFiles alice = SshKeygen.generate(ssh, "alice", "ed25519", "alice@laptop");
        Actor ada = new Actor("ada", Door.SHELL, "local");

        CurrentActor.as(ada, () -> keys.add("alice", alice.publicLine()));
        assertThrows(IllegalStateException.class, () -> CurrentActor.as(ada, () -> keys.add("alice2", alice.publicLine())));
        CurrentActor.as(ada, () -> {
            keys.remove("alice");
            return null;
        });

        List<AuditRecord> records = trail.list(AuditFilter.all(10));
        assertEquals(List.of("key.add alice ok", "key.add alice2 failed: This key is already authorised, as 'alice'.",
                "key.remove alice ok"), records.stream().map(r -> r.action() + " " + r.target() + " " + r.result()).toList());
        records.forEach(r -> assertEquals(ada, r.actor()));
        trail.close();
    }
}
