package cloud.hop3.api.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Fuzz;

/** Roles, grants, users and tokens refuse what they cannot hold, with a message a user can act on. */
class AccessValuesTest {

    private static final Pattern READABLE = Pattern.compile("[\\x20-\\x7e]+");
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @Test
    void rolesAreReadInAnyCaseAndUnknownOnesNamed() {
        assertEquals(Role.DEPLOYER, Role.of("Deployer"));
        assertEquals("viewer", Role.VIEWER.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Role.of("root"));
        assertTrue(e.getMessage().contains("admin, deployer and viewer"), e.getMessage());
    }

    @Test
    void adminIsOnEveryAppAndDeployerOnNamedOnes() {
        assertTrue(Grant.of("admin", List.of()).everyApp());
        assertThrows(IllegalArgumentException.class, () -> Grant.of("admin", List.of("shop")));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> Grant.of("deployer", List.of()));
        assertTrue(none.getMessage().contains("name at least one"), none.getMessage());
        Grant deployer = Grant.of("deployer", List.of("shop", "blog", "shop"));
        assertEquals(List.of("blog", "shop"), deployer.apps().stream().map(AppName::value).toList());
        assertTrue(deployer.covers(AppName.of("shop")));
        assertFalse(deployer.covers(AppName.of("bank")));
        assertTrue(Grant.of("viewer", List.of()).covers(AppName.of("bank")));
        assertThrows(IllegalArgumentException.class, () -> Grant.of("viewer", List.of("../etc")));
    }

    @Test
    void userNamesAcceptedAreSafeForFilesAndKarafAndRefusalsReadable() {
        Pattern safe = Pattern.compile("[a-z][a-z0-9._-]{0,31}");
        Fuzz.strings(11, 200_000, 12, input -> {
            try {
                User user = new User(input, false, List.of(), List.of(), NOW);
                assertTrue(safe.matcher(user.name()).matches(), input);
                assertFalse(user.name().contains("=") || user.name().contains(":"), input);
            } catch (IllegalArgumentException e) {
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
        });
    }

    @Test
    void grantsFromTypedTextAreSafeOrRefusedReadably() {
        Fuzz.strings(12, 50_000, 10, input -> {
            try {
                Grant grant = Grant.of(input, List.of());
                assertTrue(grant.role() == Role.ADMIN || grant.role() == Role.VIEWER, input);
            } catch (IllegalArgumentException e) {
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
            try {
                Grant grant = Grant.of("deployer", List.of(input));
                assertEquals(1, grant.apps().size());
            } catch (IllegalArgumentException e) {
                assertTrue(READABLE.matcher(e.getMessage()).matches(), e.getMessage());
            }
        });
    }

    @Test
    void userKeysAreSortedWithoutDuplicatesAndTokensExpire() {
        User user = new User("alice", false, List.of(Grant.of("viewer", List.of())), List.of("b", "a", "b"), NOW);
        assertEquals(List.of("a", "b"), user.keys());
        assertTrue(user.has(Role.VIEWER));
        assertFalse(user.has(Role.ADMIN));
        Token token = new Token("t1", "alice", NOW, NOW.plusSeconds(60), null);
        assertFalse(token.expiredAt(NOW.plusSeconds(59)));
        assertTrue(token.expiredAt(NOW.plusSeconds(60)));
        assertFalse(new Token("t2", "alice", NOW, null, null).expiredAt(Instant.MAX));
        assertFalse(new NewToken(token, "s3cret").toString().contains("s3cret"));
    }
}
