package cloud.hop3.api.access;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import cloud.hop3.api.app.AppName;

/**
 * A role given to a user, on named apps or on all of them.
 *
 * <p>{@code admin} is given on every app (it names none); {@code deployer} on the apps it names
 * (at least one); {@code viewer} on the apps it names, or on every app when it names none. An app
 * named in a grant need not exist yet: a deployer granted {@code shop} may create it with a push.
 *
 * @param role the role
 * @param apps the apps it applies to, sorted; empty means every app
 */
public record Grant(Role role, Set<AppName> apps) {

    public Grant {
        if (role == null) {
            throw new IllegalArgumentException("A grant needs a role: admin, deployer or viewer.");
        }
        TreeSet<AppName> sorted = new TreeSet<>();
        if (apps != null) {
            for (AppName app : apps) {
                if (app == null) {
                    throw new IllegalArgumentException("A grant names apps, not nulls.");
                }
                sorted.add(app);
            }
        }
        if (role == Role.ADMIN && !sorted.isEmpty()) {
            throw new IllegalArgumentException("The admin role applies to every app; give it without app names.");
        }
        if (role == Role.DEPLOYER && sorted.isEmpty()) {
            throw new IllegalArgumentException("The deployer role applies to named apps; name at least one"
                    + " (user:grant <user> deployer <app>...).");
        }
        apps = Collections.unmodifiableSortedSet(sorted);
    }

    /**
     * A grant from what a user typed: a role and app names.
     *
     * @throws IllegalArgumentException with a message a user can act on
     */
    public static Grant of(String role, Collection<String> apps) {
        List<String> names = apps == null ? List.of() : List.copyOf(apps);
        return new Grant(Role.of(role), names.stream().map(AppName::of).collect(Collectors.toSet()));
    }

    /** Whether this grant applies to {@code app}. */
    public boolean covers(AppName app) {
        return apps.isEmpty() || apps.contains(app);
    }

    /** Whether it applies to every app. */
    public boolean everyApp() {
        return apps.isEmpty();
    }

    @Override
    public String toString() {
        return apps.isEmpty() ? role.word() + " on every app"
                : role.word() + " on " + apps.stream().map(AppName::value).collect(Collectors.joining(", "));
    }
}
