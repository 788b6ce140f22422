package cloud.hop3.core.impl.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.NewToken;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.keys.AuthorizedKeys;

class AccessRegistryTest {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @TempDir
    Path home;

    @TempDir
    Path ssh;

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = NOW;

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();

    private String newKey(String name) throws Exception {
        Path file = ssh.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@test", "-f", file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "ssh-keygen");
        return Files.readString(ssh.resolve(name + ".pub")).strip();
    }

    private AccessRegistry open(AuthorizedKeys keys) throws Exception {
        return new AccessRegistry(home, keys, clock, Optional.of(home.resolve("etc").resolve("keys.properties")));
    }

    private static Actor shell(String user) {
        return new Actor(user, Door.SHELL, "127.0.0.1");
    }

    @Test
    void theFirstStartMakesTheExistingKeysTheAdminsAndTheOperatorAnAdmin() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, clock);
        keys.add("laptop", newKey("laptop"));
        keys.add("ci", newKey("ci"));

        AccessRegistry access = open(keys);

        User admin = access.user("admin").orElseThrow();
        assertEquals(List.of("ci", "laptop"), admin.keys());
        assertEquals("admin on every app", admin.describeGrants());
        assertTrue(access.user("operator").orElseThrow().has(Role.ADMIN));
        assertEquals("admin", access.ownerOfKey("laptop").orElseThrow().name());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("access/users.json"))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("access"))));

        // a second start keeps what changed since: no migration again
        access.removeUser("admin");
        assertEquals(List.of("operator"), open(keys).users().stream().map(User::name).toList());
        assertEquals(List.of(), keys.list(), "the removed user's keys went with it");
    }

    @Test
    void workRunAsAnApiActorIsCheckedAsThatUserAndTheThreadsActorComesBack() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("vic");
        access.grant("vic", Grant.of("viewer", List.of()));
        Actor vic = new Actor("vic", Door.API, "10.0.0.9");

        String seen = access.runAs(vic, () -> {
            access.check(Permission.READ, Optional.of(AppName.of("shop")));
            return CurrentActor.get().orElseThrow().door() + " " + CurrentActor.get().orElseThrow().address();
        });
        assertEquals("API 10.0.0.9", seen);
        AccessDeniedException refused = assertThrows(AccessDeniedException.class, () -> access.runAs(vic, () -> {
            access.check(Permission.CONFIG, Optional.of(AppName.of("shop")));
            return null;
        }));
        assertTrue(refused.getMessage().contains("may not change the config of app 'shop'"), refused.getMessage());
        assertEquals(Optional.empty(), CurrentActor.get(), "no actor is left on the thread");
    }

    @Test
    void aKeyBelongsToOneUserAndDecidesAsThatUser() throws Exception {
        AuthorizedKeys keys = new AuthorizedKeys(home, clock);
        AccessRegistry access = open(keys);
        access.addUser("dee");
        access.grant("dee", Grant.of("deployer", List.of("shop")));
        access.addKey("dee", "dee-laptop", newKey("dee"));

        assertEquals("dee", access.ownerOfKey("dee-laptop").orElseThrow().name());
        Actor dee = new Actor("dee", Door.GIT, "10.0.0.1");
        access.check(dee, Permission.PUSH, Optional.of(AppName.of("shop")));
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> access.check(dee, Permission.PUSH, Optional.of(AppName.of("bank"))));
        assertTrue(refused.getMessage().contains("may not push to app 'bank'"), refused.getMessage());

        // the same name given to another user moves; a key nobody claims (restored) is the admin's
        assertThrows(IllegalStateException.class, () -> access.addKey("admin", "dee-laptop", newKey("other")));
        keys.add("restored", newKey("restored"));
        assertEquals("admin", access.ownerOfKey("restored").orElseThrow().name());
        assertEquals(Optional.empty(), access.ownerOfKey("nothing"));
        // a key removed, then added again under its name by nobody in particular, is not dee's any more
        keys.remove("dee-laptop");
        assertEquals(List.of(), access.user("dee").orElseThrow().keys());
        keys.add("dee-laptop", newKey("again"));
        assertEquals("admin", access.ownerOfKey("dee-laptop").orElseThrow().name());
        access.addKey("dee", "dee-laptop2", newKey("dee2"));

        String logins = Files.readString(home.resolve("etc/keys.properties"));
        assertTrue(logins.contains("\ndee=AAAA"), logins);
        assertTrue(logins.contains(",_g_:deployergroup\n"), logins);
    }

    @Test
    void aDisabledUserIsRefusedAtOnceAndTheLastAdminStays() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("vic");
        access.grant("vic", Grant.of("viewer", List.of()));
        access.check(shell("vic"), Permission.READ, Optional.of(AppName.of("shop")));

        access.setDisabled("vic", true);
        AccessDeniedException refused = assertThrows(AccessDeniedException.class,
                () -> access.check(shell("vic"), Permission.READ, Optional.of(AppName.of("shop"))));
        assertTrue(refused.getMessage().contains("user:enable vic"), refused.getMessage());

        access.setDisabled("admin", true);
        IllegalStateException last = assertThrows(IllegalStateException.class, () -> access.setDisabled("operator", true));
        assertTrue(last.getMessage().contains("no enabled admin would remain"), last.getMessage());
        assertFalse(access.user("operator").orElseThrow().disabled(), "nothing changed");
        assertThrows(IllegalStateException.class, () -> access.removeUser("operator"));
        assertThrows(IllegalStateException.class, () -> access.revoke("operator", Role.ADMIN, Set.of()));

        AccessDeniedException stranger = assertThrows(AccessDeniedException.class,
                () -> access.check(shell("karaf"), Permission.READ, Optional.empty()));
        assertTrue(stranger.getMessage().contains("not a user of this platform"), stranger.getMessage());
        access.check(Actor.platform(Door.SCHEDULE), Permission.BACKUPS, Optional.of(AppName.of("shop")));
        assertThrows(IllegalArgumentException.class, () -> access.addUser("hop3"));
    }

    @Test
    void grantsAddUpAndRevokesTakeAppsBack() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("dee");
        access.grant("dee", Grant.of("deployer", List.of("shop")));
        access.grant("dee", Grant.of("deployer", List.of("blog")));
        assertEquals("deployer on blog, shop", access.user("dee").orElseThrow().describeGrants());
        access.revoke("dee", Role.DEPLOYER, Set.of(AppName.of("shop")));
        assertEquals("deployer on blog", access.user("dee").orElseThrow().describeGrants());
        access.revoke("dee", Role.DEPLOYER, Set.of());
        assertEquals("no role", access.user("dee").orElseThrow().describeGrants());
        assertThrows(IllegalStateException.class, () -> access.revoke("dee", Role.VIEWER, Set.of()));
        assertThrows(NoSuchElementException.class, () -> access.grant("nobody", Grant.of("viewer", List.of())));
    }

    @Test
    void aTokensLastUseIsKeptToTheMinuteWithoutAWritePerRequest() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("ci");
        NewToken token = access.createToken("ci", Optional.empty());
        Path users = home.resolve("access/users.json");

        access.authenticate(token.secret());
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(users);
        String before = Files.readString(users);
        Files.setLastModifiedTime(users, java.nio.file.attribute.FileTime.fromMillis(0));
        clock.now = NOW.plusSeconds(59);
        for (int i = 0; i < 100; i++) {
            access.authenticate(token.secret());
        }
        assertEquals(0, Files.getLastModifiedTime(users).toMillis(), "no write within the minute");
        assertEquals(before, Files.readString(users));
        assertEquals(NOW, access.tokens(Optional.of("ci")).get(0).lastUsed());

        clock.now = NOW.plusSeconds(61);
        access.authenticate(token.secret());
        assertEquals(NOW.plusSeconds(61), access.tokens(Optional.of("ci")).get(0).lastUsed());
        assertTrue(Files.getLastModifiedTime(users).toMillis() > 0 && written.toMillis() > 0, "written again after a minute");
    }

    @Test
    void tokensAreShownOnceKeptAsHashesExpireAndRevoke() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("ci");
        access.grant("ci", Grant.of("deployer", List.of("shop")));
        NewToken token = access.createToken("ci", Optional.of(Duration.ofDays(1)));
        NewToken forever = access.createToken("ci", Optional.empty());

        String stored = Files.readString(home.resolve("access/users.json"));
        assertFalse(stored.contains(token.secret()) || stored.contains(forever.secret()), "no secret on disk");
        assertTrue(stored.contains(AccessRegistry.sha256(token.secret())), "its hash is");
        assertEquals(32, java.util.Base64.getUrlDecoder().decode(token.secret().substring("hop3_".length())).length);

        assertEquals("ci", access.authenticate(token.secret()).name());
        assertEquals(NOW, access.tokens(Optional.of("ci")).stream().filter(t -> t.id().equals(token.token().id()))
                .findFirst().orElseThrow().lastUsed());
        assertThrows(AccessDeniedException.class, () -> access.authenticate(token.secret() + "x"));

        clock.now = NOW.plus(Duration.ofDays(1));
        AccessDeniedException expired = assertThrows(AccessDeniedException.class, () -> access.authenticate(token.secret()));
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());
        assertEquals("ci", access.authenticate(forever.secret()).name());

        access.setDisabled("ci", true);
        assertThrows(AccessDeniedException.class, () -> access.authenticate(forever.secret()));
        access.setDisabled("ci", false);
        access.revokeToken(forever.token().id());
        assertThrows(AccessDeniedException.class, () -> access.authenticate(forever.secret()));
        assertThrows(NoSuchElementException.class, () -> access.revokeToken(forever.token().id()));
        assertThrows(IllegalArgumentException.class, () -> access.createToken("ci", Optional.of(Duration.ZERO)));

        access.removeUser("ci");
        assertEquals(List.of(), access.tokens(Optional.empty()), "a removed user's tokens go with it");
    }

    @Test
    @SuppressWarnings("removal")
    void aShellCommandActsAsItsSessionsUserAndHandWrittenLoginsByTheirKarafRoles() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("dee");
        access.grant("dee", Grant.of("deployer", List.of("shop")));
        Optional<AppName> bank = Optional.of(AppName.of("bank"));

        javax.security.auth.Subject dee = subject("dee", "deployer");
        java.security.PrivilegedExceptionAction<Object> asDee = () -> {
            assertEquals(Optional.of(new Actor("dee", Door.SHELL, "10.1.2.3")), CurrentActor.get());
            access.check(Permission.CONFIG, Optional.of(AppName.of("shop")));
            AccessDeniedException refused = assertThrows(AccessDeniedException.class, () -> access.check(Permission.CONFIG, bank));
            assertTrue(refused.getMessage().contains("may not change the config of app 'bank'"), refused.getMessage());
            return null;
        };
        javax.security.auth.Subject.doAs(dee, asDee);

        // "karl" is in no users.json: a viewer by his Karaf role, who reads and changes nothing
        javax.security.auth.Subject.doAs(subject("karl", "viewer"), (java.security.PrivilegedExceptionAction<Object>) () -> {
            access.check(Permission.READ, bank);
            assertThrows(AccessDeniedException.class, () -> access.check(Permission.SCALE, bank));
            return null;
        });
        javax.security.auth.Subject.doAs(subject("root", "admin"), (java.security.PrivilegedExceptionAction<Object>) () -> {
            access.check(Permission.ADMINISTER, Optional.empty());
            return null;
        });
        // outside any session, nobody is named: refused
        assertEquals(Optional.empty(), CurrentActor.get());
        assertThrows(AccessDeniedException.class, () -> access.check(Permission.READ, Optional.empty()));
        // a disabled user is refused in a session already open
        access.setDisabled("dee", true);
        javax.security.auth.Subject.doAs(dee, (java.security.PrivilegedExceptionAction<Object>) () -> {
            assertThrows(AccessDeniedException.class, () -> access.check(Permission.READ, Optional.of(AppName.of("shop"))));
            return null;
        });
    }

    @Test
    @SuppressWarnings("removal")
    void aDirectoryLoginIsJudgedByItsGroupsRolesAloneAndBlockedByADisabledLocalNamesake() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        Optional<AppName> shop = Optional.of(AppName.of("shop"));
        Optional<AppName> bank = Optional.of(AppName.of("bank"));
        // "dora" is no local user: a deployer of shop by her directory group
        javax.security.auth.Subject dora = subject("dora", "deployer");
        dora.getPrincipals().add(new cloud.hop3.core.impl.actor.DirectoryGrant(Grant.of("deployer", List.of("shop"))));
        javax.security.auth.Subject.doAs(dora, (java.security.PrivilegedExceptionAction<Object>) () -> {
            access.check(Permission.CONFIG, shop);
            AccessDeniedException refused = assertThrows(AccessDeniedException.class, () -> access.check(Permission.CONFIG, bank));
            assertTrue(refused.getMessage().startsWith("User 'dora' (deployer on shop) may not"), refused.getMessage());
            return null;
        });
        // a directory account named like the local admin is a viewer by its groups, not an admin by its name
        javax.security.auth.Subject admin = subject(AccessRegistry.ADMIN, "viewer");
        admin.getPrincipals().add(new cloud.hop3.core.impl.actor.DirectoryGrant(Grant.of("viewer", List.of())));
        javax.security.auth.Subject.doAs(admin, (java.security.PrivilegedExceptionAction<Object>) () -> {
            access.check(Permission.READ, bank);
            assertThrows(AccessDeniedException.class, () -> access.check(Permission.ADMINISTER, Optional.empty()));
            assertThrows(AccessDeniedException.class, () -> access.check(Permission.CONFIG, bank));
            return null;
        });
        // a local user of the same name, disabled, blocks the directory login too
        access.addUser("dora");
        access.setDisabled("dora", true);
        javax.security.auth.Subject.doAs(dora, (java.security.PrivilegedExceptionAction<Object>) () -> {
            AccessDeniedException refused = assertThrows(AccessDeniedException.class, () -> access.check(Permission.READ, shop));
            assertTrue(refused.getMessage().contains("is disabled"), refused.getMessage());
            return null;
        });
    }

    @Test
    @SuppressWarnings("removal")
    void anApiRequestOfAPasswordSessionIsJudgedByItsLoginsGroupsAndATokensByItsUserAlone() throws Exception {
        AccessRegistry access = open(new AuthorizedKeys(home, clock));
        access.addUser("tom");
        access.grant("tom", Grant.of("viewer", List.of()));
        Optional<AppName> shop = Optional.of(AppName.of("shop"));
        Optional<AppName> bank = Optional.of(AppName.of("bank"));
        Actor dora = new Actor("dora", Door.API, "192.0.2.7");
        javax.security.auth.Subject login = subject("dora", "deployer");
        login.getPrincipals().add(new cloud.hop3.core.impl.actor.DirectoryGrant(Grant.of("deployer", List.of("shop"))));
        javax.security.auth.Subject.doAs(login, (java.security.PrivilegedExceptionAction<Object>) () -> access.runAs(dora, () -> {
            access.check(Permission.CONFIG, shop);
            assertThrows(AccessDeniedException.class, () -> access.check(Permission.CONFIG, bank));
            assertEquals("deployer on shop", access.userOf(dora).orElseThrow().describeGrants());
            return null;
        }));
        // the same actor with no login on the thread (a token's request) is no user here
        assertThrows(AccessDeniedException.class, () -> access.check(dora, Permission.READ, shop));
        assertEquals(Optional.empty(), access.userOf(dora));
        // a token's user is the local one
        assertEquals("viewer on every app", access.userOf(new Actor("tom", Door.API, "192.0.2.7")).orElseThrow().describeGrants());
    }

    private static javax.security.auth.Subject subject(String user, String role) {
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.UserPrincipal(user));
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.RolePrincipal(role));
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.ClientPrincipal("ssh", "10.1.2.3"));
        return subject;
    }
}
