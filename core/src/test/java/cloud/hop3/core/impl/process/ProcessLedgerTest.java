package cloud.hop3.core.impl.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.state.DocumentStore;

class ProcessLedgerTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final String SECRET = "s3cr3t-db-password";

    @TempDir
    Path home;

    private static ProcessRecord record(String app, String id) {
        return new ProcessRecord(id, app, 3, "web", 1, 5000, 42, Instant.EPOCH, "python app.py",
                Map.of("DB_PASSWORD", SECRET, "PORT", "5000"), "/srv/shop", 0, false);
    }

    @Test
    void environmentsAreEncryptedAtRestAndReadBackExactly() throws Exception {
        SecretBox box = new SecretBox(home, Clock.systemUTC());
        ProcessLedger ledger = new ProcessLedger(new DocumentStore(home), box);
        ledger.save(SHOP, () -> List.of(record("shop", "web.1-a")));

        String file = Files.readString(home.resolve("apps/shop/processes.json"));
        assertFalse(file.contains(SECRET), file);
        assertTrue(file.contains("\"schema\" : 2"), file);
        assertEquals(Map.of("DB_PASSWORD", SECRET, "PORT", "5000"), ledger.read(SHOP).get(0).env());
    }

    @Test
    void aPlainLedgerOfAnEarlierVersionIsReadThenEncryptedAtItsNextWrite() throws Exception {
        new ProcessLedger(new DocumentStore(home)).save(SHOP, () -> List.of(record("shop", "web.1-a")));
        assertTrue(Files.readString(home.resolve("apps/shop/processes.json")).contains(SECRET), "schema 1 is plain");

        ProcessLedger ledger = new ProcessLedger(new DocumentStore(home), new SecretBox(home, Clock.systemUTC()));
        List<ProcessRecord> read = ledger.read(SHOP);
        assertEquals(SECRET, read.get(0).env().get("DB_PASSWORD"));
        ledger.save(SHOP, () -> read);
        assertFalse(Files.readString(home.resolve("apps/shop/processes.json")).contains(SECRET));
    }

    @Test
    void aValueCopiedFromAnotherProcessIsRefused() throws Exception {
        SecretBox box = new SecretBox(home, Clock.systemUTC());
        ProcessLedger ledger = new ProcessLedger(new DocumentStore(home), box);
        ledger.save(SHOP, () -> List.of(record("shop", "web.1-a"), record("shop", "web.2-b")));
        Path file = home.resolve("apps/shop/processes.json");
        String json = Files.readString(file);
        // swap the sealed passwords of the two processes: each now sits where it was not sealed
        List<String> sealed = json.lines().filter(l -> l.contains("\"DB_PASSWORD\"")).map(l -> l.split("\"")[3]).toList();
        Files.writeString(file, json.replace(sealed.get(0), "@@").replace(sealed.get(1), sealed.get(0)).replace("@@", sealed.get(1)));

        assertThrows(RuntimeException.class, () -> ledger.read(SHOP));
    }
}
