package cloud.hop3.core.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.core.impl.access.AccessRegistry;
import cloud.hop3.core.impl.audit.AuditTrail;
import cloud.hop3.core.impl.keys.AuthorizedKeys;

/** audit:list and audit:verify on a real trail. */
class AuditCommandsTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;
    private AuditTrail trail;

    @BeforeEach
    void setUp() throws IOException {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        trail = new AuditTrail(Clock.systemUTC());
        trail.open(home.resolve("audit"));
        for (int i = 1; i <= 5; i++) {
            trail.record(new AuditEntry(new Actor(i % 2 == 0 ? "bob" : "ada", Door.SHELL, "local"), "app.scale",
                    i <= 3 ? "shop" : "blog", AuditResult.success(), List.of("web:" + i)));
        }
    }

    @AfterEach
    void tearDown() throws IOException {
        System.setOut(original);
        trail.close();
    }

    @Test
    void listShowsTheLatestMatchingRecordsOldestFirst() throws Exception {
        new AuditListCommand(trail, "shop", null, null, 2, true).checkedBy(new AllowEverything()).run();
        assertEquals(List.of("2", "3"), column(0));
        assertEquals(List.of("web:2", "web:3"), column(8));
        out.reset();
        new AuditListCommand(trail, null, "ada", "1h", 100, true).checkedBy(new AllowEverything()).run();
        assertEquals(List.of("1", "3", "5"), column(0));
        out.reset();
        new AuditListCommand(trail, "none", null, null, 100, false).checkedBy(new AllowEverything()).run();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("No change recorded that matches."));
    }

    @Test
    @SuppressWarnings("removal")
    void aNonAdminSeesOnlyTheRecordsOfTheAppsTheyRead() throws Exception {
        trail.record(new AuditEntry(new Actor("ada", Door.SHELL, "local"), "user.grant", "shop", AuditResult.success(), List.of()));
        AccessRegistry access = new AccessRegistry(home, new AuthorizedKeys(home, Clock.systemUTC()), Clock.systemUTC(),
                Optional.empty());
        access.addUser("dee");
        access.grant("dee", Grant.of("deployer", List.of("shop")));
        javax.security.auth.Subject dee = new javax.security.auth.Subject();
        dee.getPrincipals().add(new UserPrincipal("dee"));
        javax.security.auth.Subject.doAs(dee, (java.security.PrivilegedExceptionAction<Object>) () -> {
            new AuditListCommand(trail, null, null, null, 100, true).checkedBy(access).run();
            return null;
        });
        assertEquals(List.of("1", "2", "3"), column(0), "shop's scalings; not blog's, nor a user change that names shop");
        out.reset();
        javax.security.auth.Subject.doAs(dee, (java.security.PrivilegedExceptionAction<Object>) () -> {
            new AuditListCommand(trail, "blog", null, null, 100, false).checkedBy(access).run();
            return null;
        });
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("No change recorded that matches."), out.toString(StandardCharsets.UTF_8));
        assertTrue(!out.toString(StandardCharsets.UTF_8).contains("blog"), "none of blog's records");
        out.reset();
        javax.security.auth.Subject.doAs(dee, (java.security.PrivilegedExceptionAction<Object>) () -> {
            access.grant("dee", Grant.of("viewer", List.of()));
            new AuditListCommand(trail, null, null, null, 100, true).checkedBy(access).run();
            return null;
        });
        assertEquals(List.of("1", "2", "3", "4", "5"), column(0), "a viewer of every app sees every app's records");
    }

    @Test
    void sinceTakesAnIsoTimeOrAnAge() {
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        assertEquals(Instant.parse("2026-12-05T10:00:00Z"), AuditListCommand.since("2h", now));
        assertEquals(Instant.parse("2026-12-02T12:00:00Z"), AuditListCommand.since("3d", now));
        assertEquals(Instant.parse("2026-12-05T11:30:00Z"), AuditListCommand.since("30m", now));
        assertEquals(Instant.parse("2026-12-01T08:00:00Z"), AuditListCommand.since("2026-12-01T08:00:00Z", now));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> AuditListCommand.since("yesterday", now));
        assertTrue(bad.getMessage().contains("2h"), bad.getMessage());
    }

    @Test
    void verifyPassesThenNamesTheEditedLine() throws Exception {
        new AuditVerifyCommand(trail).run();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("verifies: 5 records"), out.toString(StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(Files.readAllLines(trail.file()));
        lines.set(3, lines.get(3).replace("web:4", "web:9"));
        Files.write(trail.file(), lines);
        IllegalStateException broken = assertThrows(IllegalStateException.class, () -> new AuditVerifyCommand(trail).run());
        assertTrue(broken.getMessage().contains("line 4 (record 4) was changed"), broken.getMessage());
    }

    private List<String> column(int index) {
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> l.split("\t", -1)[index]).toList();
    }
}
