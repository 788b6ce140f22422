package cloud.hop3.core.impl.shell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.app.AppName;

/**
 * Which Hop3 roles the groups of a directory (LDAP) user give, as configured in
 * {@code cloud.hop3.ldap}:
 *
 * <ul>
 *   <li>{@value #ADMIN}: groups whose members are admins (default {@code hop3-admins});</li>
 *   <li>{@value #VIEWER}: groups whose members are viewers of every app (default {@code hop3-viewers});</li>
 *   <li>{@value #DEPLOYER_PREFIX}: a group named this prefix and an app name makes its members
 *       deployers of that app (default {@code hop3-deployers-}: {@code hop3-deployers-shop});</li>
 *   <li>{@value #VIEWER_PREFIX}: the same for viewers of one app (default {@code hop3-viewers-});</li>
 *   <li>{@value #MAPPING}: more groups, {@code group=role[:app,app...]} separated by {@code ;}
 *       ({@code web=deployer:shop,blog;ops=admin;support=viewer}).</li>
 * </ul>
 *
 * Group names compare without regard to case, as LDAP compares them. A group that maps to
 * nothing gives nothing; the grants of several groups add up as {@code user:grant} adds them.
 */
final class DirectoryGroups {

    static final String ADMIN = "groups.admin";
    static final String VIEWER = "groups.viewer";
    static final String DEPLOYER_PREFIX = "groups.deployer.prefix";
    static final String VIEWER_PREFIX = "groups.viewer.prefix";
    static final String MAPPING = "groups.mapping";
    /** Every option of this class starts with it; the others are those of Karaf's LDAP module. */
    static final String OPTION_PREFIX = "groups.";

    static final Map<String, String> DEFAULTS = Map.of(ADMIN, "hop3-admins", VIEWER, "hop3-viewers",
            DEPLOYER_PREFIX, "hop3-deployers-", VIEWER_PREFIX, "hop3-viewers-", MAPPING, "");

    private final Set<String> admins;
    private final Set<String> viewers;
    private final String deployerPrefix;
    private final String viewerPrefix;
    private final Map<String, List<Grant>> mapping;

    private DirectoryGroups(Set<String> admins, Set<String> viewers, String deployerPrefix, String viewerPrefix,
            Map<String, List<Grant>> mapping) {
        this.admins = admins;
        this.viewers = viewers;
        this.deployerPrefix = deployerPrefix;
        this.viewerPrefix = viewerPrefix;
        this.mapping = mapping;
    }

    /**
     * The mapping in {@code options}, with the defaults where an option is absent (an empty
     * value turns that rule off).
     *
     * @throws IllegalArgumentException naming the option and what is wrong with it
     */
    static DirectoryGroups of(Map<String, ?> options) {
        Map<String, List<Grant>> mapping = new java.util.HashMap<>();
        String text = option(options, MAPPING);
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(MAPPING + ": '" + entry.strip() + "' is not group=role or group=role:app,app");
            }
            String group = lower(entry.substring(0, eq));
            String value = entry.substring(eq + 1).strip();
            int colon = value.indexOf(':');
            String role = colon < 0 ? value : value.substring(0, colon);
            List<String> apps = colon < 0 ? List.of()
                    : List.of(value.substring(colon + 1).split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
            Grant grant;
            try {
                grant = Grant.of(role, apps);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(MAPPING + ", group '" + group + "': " + e.getMessage(), e);
            }
            mapping.computeIfAbsent(group, g -> new ArrayList<>()).add(grant);
        }
        return new DirectoryGroups(groups(option(options, ADMIN)), groups(option(options, VIEWER)),
                lower(option(options, DEPLOYER_PREFIX)), lower(option(options, VIEWER_PREFIX)), mapping);
    }

    /** The roles that these groups give, merged: empty when none of them is mapped. */
    List<Grant> grants(Collection<String> groups) {
        List<Grant> found = new ArrayList<>();
        for (String name : groups) {
            String group = lower(name);
            if (admins.contains(group)) {
                found.add(new Grant(Role.ADMIN, Set.of()));
            }
            if (viewers.contains(group)) {
                found.add(new Grant(Role.VIEWER, Set.of()));
            }
            app(group, deployerPrefix).ifPresent(app -> found.add(new Grant(Role.DEPLOYER, Set.of(app))));
            app(group, viewerPrefix).ifPresent(app -> found.add(new Grant(Role.VIEWER, Set.of(app))));
            found.addAll(mapping.getOrDefault(group, List.of()));
        }
        return merge(found);
    }

    /**
     * The Karaf roles of these grants, as the groups of {@code etc/keys.properties} give them:
     * Karaf's command ACLs, the outer wall, read these ({@code ssh} opens the shell).
     */
    static Set<String> karafRoles(List<Grant> grants) {
        Set<String> roles = new LinkedHashSet<>();
        for (Grant g : grants) {
            switch (g.role()) {
                case ADMIN -> roles.addAll(List.of("admin", "manager", "viewer", "systembundles"));
                case DEPLOYER -> roles.addAll(List.of("deployer", "viewer"));
                case VIEWER -> roles.add("viewer");
                default -> throw new IllegalStateException("a role without Karaf roles: " + g.role());
            }
        }
        if (!roles.isEmpty()) {
            roles.add("ssh");
        }
        return roles;
    }

    /** One grant per role: admin alone when there is one; apps of the same role joined, every app winning. */
    static List<Grant> merge(List<Grant> grants) {
        if (grants.stream().anyMatch(g -> g.role() == Role.ADMIN)) {
            return List.of(new Grant(Role.ADMIN, Set.of()));
        }
        List<Grant> merged = new ArrayList<>();
        for (Role role : List.of(Role.DEPLOYER, Role.VIEWER)) {
            List<Grant> of = grants.stream().filter(g -> g.role() == role).toList();
            if (of.isEmpty()) {
                continue;
            }
            if (of.stream().anyMatch(Grant::everyApp)) {
                merged.add(new Grant(role, Set.of()));
            } else {
                Set<AppName> apps = new TreeSet<>();
                of.forEach(g -> apps.addAll(g.apps()));
                merged.add(new Grant(role, apps));
            }
        }
        return merged;
    }

    private static java.util.Optional<AppName> app(String group, String prefix) {
        if (prefix.isEmpty() || !group.startsWith(prefix) || group.length() == prefix.length()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(AppName.of(group.substring(prefix.length())));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static String option(Map<String, ?> options, String name) {
        Object value = options.get(name);
        return value == null ? DEFAULTS.get(name) : value.toString();
    }

    private static Set<String> groups(String list) {
        Set<String> groups = new TreeSet<>();
        for (String g : list.split(",")) {
            if (!g.isBlank()) {
                groups.add(lower(g));
            }
        }
        return groups;
    }

    private static String lower(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }
}
