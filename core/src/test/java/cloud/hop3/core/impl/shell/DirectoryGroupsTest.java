package cloud.hop3.core.impl.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.app.AppName;

class DirectoryGroupsTest {

    private static final DirectoryGroups DEFAULTS = DirectoryGroups.of(Map.of());

    @Test
    void theDefaultGroupsGiveTheirRoles() {
        assertEquals(List.of(new Grant(Role.ADMIN, Set.of())), DEFAULTS.grants(List.of("hop3-admins")));
        assertEquals(List.of(new Grant(Role.VIEWER, Set.of())), DEFAULTS.grants(List.of("HOP3-Viewers")), "in any case");
        assertEquals(List.of(new Grant(Role.DEPLOYER, Set.of(AppName.of("shop"), AppName.of("blog")))),
                DEFAULTS.grants(List.of("hop3-deployers-shop", "staff", "hop3-deployers-blog")));
        assertEquals(List.of(new Grant(Role.VIEWER, Set.of(AppName.of("shop")))), DEFAULTS.grants(List.of("hop3-viewers-shop")));
    }

    @Test
    void groupsThatMapToNothingGiveNothing() {
        assertEquals(List.of(), DEFAULTS.grants(List.of("admin", "staff", "hop3-deployers-", "hop3-deployers-Not_An_App")));
        assertEquals(List.of(), DEFAULTS.grants(List.of()));
    }

    @Test
    void rolesAddUpAndAdminWins() {
        assertEquals(List.of(new Grant(Role.DEPLOYER, Set.of(AppName.of("shop"))), new Grant(Role.VIEWER, Set.of())),
                DEFAULTS.grants(List.of("hop3-viewers-blog", "hop3-deployers-shop", "hop3-viewers")));
        assertEquals(List.of(new Grant(Role.ADMIN, Set.of())), DEFAULTS.grants(List.of("hop3-deployers-shop", "hop3-admins")));
    }

    @Test
    void theMappingAndTheListsAreConfiguration() {
        DirectoryGroups groups = DirectoryGroups.of(Map.of(DirectoryGroups.ADMIN, "ops, root-team",
                DirectoryGroups.DEPLOYER_PREFIX, "", DirectoryGroups.MAPPING, "web=deployer:shop,blog; support=viewer:shop;all=viewer"));
        assertEquals(List.of(new Grant(Role.ADMIN, Set.of())), groups.grants(List.of("root-team")));
        assertEquals(List.of(), groups.grants(List.of("hop3-admins", "hop3-deployers-shop")), "replaced, and turned off");
        assertEquals(List.of(new Grant(Role.DEPLOYER, Set.of(AppName.of("shop"), AppName.of("blog"))),
                new Grant(Role.VIEWER, Set.of(AppName.of("shop")))), groups.grants(List.of("Web", "support")));
        assertEquals(List.of(new Grant(Role.VIEWER, Set.of())), groups.grants(List.of("all", "support")));
    }

    @Test
    void aMappingThatDoesNotParseIsRefusedNamingTheOption() {
        for (String bad : List.of("web", "web=boss", "web=deployer", "ops=admin:shop", "web=deployer:Bad_Name")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DirectoryGroups.of(Map.of(DirectoryGroups.MAPPING, bad)), bad);
            assertTrue(e.getMessage().startsWith(DirectoryGroups.MAPPING), e.getMessage());
        }
    }

    @Test
    void karafRolesFollowTheHop3Roles() {
        assertEquals(Set.of("admin", "manager", "viewer", "systembundles", "ssh"),
                DirectoryGroups.karafRoles(List.of(new Grant(Role.ADMIN, Set.of()))));
        assertEquals(Set.of("deployer", "viewer", "ssh"),
                DirectoryGroups.karafRoles(List.of(new Grant(Role.DEPLOYER, Set.of(AppName.of("shop"))))));
        assertEquals(Set.of("viewer", "ssh"), DirectoryGroups.karafRoles(List.of(new Grant(Role.VIEWER, Set.of()))));
        assertEquals(Set.of(), DirectoryGroups.karafRoles(List.of()), "no role, not even the shell");
    }

    @Test
    void moduleOptionsHaveHop3sDefaultsAndPassTheRestToKaraf() {
        Map<String, String> options = LdapDirectory.options(Map.of("connection.url", " ldap://h:389 ", "service.pid",
                "cloud.hop3.ldap", "ssl.protocol", "TLSv1.3", "disableCache", false));
        assertEquals("ldap://h:389", options.get("connection.url"));
        assertEquals("TLSv1.3", options.get("ssl.protocol"));
        assertEquals("false", options.get("disableCache"), "as configured, as a string");
        assertEquals("simple", options.get("authentication"));
        assertEquals("(member=%fqdn)", options.get("role.filter"));
        assertEquals("hop3-admins", options.get(DirectoryGroups.ADMIN));
        assertTrue(!options.containsKey("service.pid"));
    }
}
