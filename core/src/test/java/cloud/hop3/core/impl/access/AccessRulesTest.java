package cloud.hop3.core.impl.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;

/**
 * The rules as a table: for each role, each permission, and an app of the user's, an app of
 * someone else's, and no app, whether it is allowed. Every cell is asserted, so a change of any
 * rule changes this table.
 */
class AccessRulesTest {

    private static final AppName OWN = AppName.of("shop");
    private static final AppName OTHER = AppName.of("bank");
    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    private static User user(String name, Grant... grants) {
        return new User(name, false, List.of(grants), List.of(), NOW);
    }

    private static final Set<Permission> DEPLOYER_ON_OWN = EnumSet.of(Permission.READ, Permission.PUSH, Permission.CONFIG,
            Permission.SCALE, Permission.ROLLBACK, Permission.DOMAINS, Permission.ADDONS, Permission.BACKUPS);

    /** role -> permissions allowed on its own app, on another app, with no app. */
    private static final Map<String, List<Set<Permission>>> MATRIX = Map.of(
            "admin", List.of(EnumSet.allOf(Permission.class), EnumSet.allOf(Permission.class), EnumSet.allOf(Permission.class)),
            "deployer", List.of(DEPLOYER_ON_OWN, EnumSet.noneOf(Permission.class), EnumSet.of(Permission.READ)),
            "viewer-named", List.of(EnumSet.of(Permission.READ), EnumSet.noneOf(Permission.class), EnumSet.of(Permission.READ)),
            "viewer-all", List.of(EnumSet.of(Permission.READ), EnumSet.of(Permission.READ), EnumSet.of(Permission.READ)),
            "none", List.of(EnumSet.noneOf(Permission.class), EnumSet.noneOf(Permission.class), EnumSet.noneOf(Permission.class)));

    private static User ofRole(String role) {
        return switch (role) {
            case "admin" -> user("ada", Grant.of("admin", List.of()));
            case "deployer" -> user("dee", Grant.of("deployer", List.of("shop")));
            case "viewer-named" -> user("vic", Grant.of("viewer", List.of("shop")));
            case "viewer-all" -> user("val", Grant.of("viewer", List.of()));
            default -> user("nob");
        };
    }

    @Test
    void everyRoleEveryPermissionOnOwnOtherAndNoApp() {
        List<String> wrong = new ArrayList<>();
        List<Optional<AppName>> apps = List.of(Optional.of(OWN), Optional.of(OTHER), Optional.empty());
        for (var row : MATRIX.entrySet()) {
            User user = ofRole(row.getKey());
            for (int column = 0; column < 3; column++) {
                for (Permission permission : Permission.values()) {
                    boolean expected = row.getValue().get(column).contains(permission);
                    boolean actual = AccessRules.allows(user, permission, apps.get(column));
                    if (expected != actual) {
                        wrong.add(row.getKey() + " " + permission + " on " + apps.get(column).map(AppName::value).orElse("no app")
                                + ": expected " + expected);
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void aDisabledAdminMayDoNothingAndIsToldWhy() {
        User disabled = new User("ada", true, List.of(Grant.of("admin", List.of())), List.of(), NOW);
        for (Permission permission : Permission.values()) {
            assertEquals(false, AccessRules.allows(disabled, permission, Optional.of(OWN)));
        }
        assertTrue(AccessRules.refusal(disabled, Permission.READ, Optional.empty()).orElseThrow().contains("user:enable ada"));
    }

    @Test
    void grantsAddUp() {
        User both = user("bo", Grant.of("deployer", List.of("shop")), Grant.of("viewer", List.of()));
        assertTrue(AccessRules.allows(both, Permission.CONFIG, Optional.of(OWN)));
        assertTrue(AccessRules.allows(both, Permission.READ, Optional.of(OTHER)));
        assertEquals(false, AccessRules.allows(both, Permission.CONFIG, Optional.of(OTHER)));
    }

    @Test
    void refusalsSayWhatWasRefusedAndHowToGetIt() {
        String message = AccessRules.refusal(ofRole("deployer"), Permission.CONFIG, Optional.of(OTHER)).orElseThrow();
        assertEquals("User 'dee' (deployer on shop) may not change the config of app 'bank'; an admin can allow it with"
                + " user:grant dee deployer bank.", message);
        assertTrue(AccessRules.refusal(ofRole("viewer-named"), Permission.READ, Optional.of(OTHER)).orElseThrow()
                .contains("user:grant vic viewer bank"));
        assertTrue(AccessRules.refusal(ofRole("deployer"), Permission.ADMINISTER, Optional.empty()).orElseThrow()
                .contains("only admins may"));
    }

    @Test
    void everyUserManagesTheirOwnTokensAndOnlyAdminsAnothersOrAnyWhileDisabled() {
        for (String role : MATRIX.keySet()) {
            User u = ofRole(role);
            assertEquals(Optional.empty(), AccessRules.tokenRefusal(u.name(), Optional.of(u), u.name()), role + ", own tokens");
            Optional<String> other = AccessRules.tokenRefusal(u.name(), Optional.of(u), "zed");
            assertEquals(!role.equals("admin"), other.isPresent(), role + ", another's tokens: " + other);
            other.ifPresent(m -> assertEquals("User '" + u.name() + "' may manage their own tokens only; the tokens of 'zed'"
                    + " are theirs or an admin's to manage.", m));
        }
        User disabled = new User("dee", true, List.of(Grant.of("deployer", List.of("shop"))), List.of(), NOW);
        assertTrue(AccessRules.tokenRefusal("dee", Optional.of(disabled), "dee").orElseThrow().contains("is disabled"));
        User disabledAdmin = new User("ada", true, List.of(Grant.of("admin", List.of())), List.of(), NOW);
        assertTrue(AccessRules.tokenRefusal("ada", Optional.of(disabledAdmin), "zed").orElseThrow().contains("is disabled"));
        assertTrue(AccessRules.tokenRefusal("ghost", Optional.empty(), "ghost").orElseThrow().contains("not a user"));
    }
}
