package cloud.hop3.core.impl.actor;

import java.security.AccessController;
import java.security.Principal;
import java.util.Optional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.User;

/**
 * The actor of a shell command: Karaf runs each command as its session's JAAS subject (the way
 * its command ACLs read it), whose {@link UserPrincipal} is the login name and whose
 * {@link ClientPrincipal} says where the session comes from. The REST API runs the requests of a
 * session opened with a password as the subject of that login, through the same realm, so the
 * roles read here hold for it too.
 */
public final class ShellSubjects {

    private ShellSubjects() {
    }

    /** The actor of the calling thread's shell subject, if it runs as one with a valid user name. */
    @SuppressWarnings("removal") // Karaf 4.4 names the subject through the access control context
    public static Optional<Actor> actor() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        return subject == null ? Optional.empty() : actor(subject);
    }

    /**
     * A shell login that is no user of the platform (a line the operator wrote by hand in
     * {@code etc/keys.properties} or {@code users.properties}), as a user whose grants come from its
     * Karaf roles: {@code admin} is an admin; {@code deployer} or {@code viewer}, which name no
     * apps there, a viewer of every app. Empty unless the calling thread runs as {@code name}'s subject.
     */
    @SuppressWarnings("removal")
    public static Optional<User> karafLogin(String name, Instant now) {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null || actor(subject).filter(a -> a.user().equals(name)).isEmpty()) {
            return Optional.empty();
        }
        Set<String> roles = new HashSet<>();
        for (Principal p : subject.getPrincipals()) {
            if (p instanceof RolePrincipal r) {
                roles.add(r.getName());
            }
        }
        List<Grant> grants = new ArrayList<>();
        if (roles.contains(Role.ADMIN.word())) {
            grants.add(new Grant(Role.ADMIN, Set.of()));
        } else if (roles.contains(Role.DEPLOYER.word()) || roles.contains(Role.VIEWER.word())) {
            grants.add(new Grant(Role.VIEWER, Set.of()));
        }
        return Optional.of(new User(name, false, grants, List.of(), now));
    }

    /**
     * The roles that a directory login gave {@code name} ({@link DirectoryGrant}s of the calling
     * thread's subject); empty unless the calling thread runs as {@code name}'s subject and it
     * logged in through the directory.
     */
    @SuppressWarnings("removal")
    public static Optional<List<Grant>> directoryGrants(String name) {
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject == null || actor(subject).filter(a -> a.user().equals(name)).isEmpty()) {
            return Optional.empty();
        }
        return directoryGrants(subject);
    }

    static Optional<List<Grant>> directoryGrants(Subject subject) {
        List<Grant> grants = subject.getPrincipals(DirectoryGrant.class).stream().map(DirectoryGrant::grant).toList();
        return grants.isEmpty() ? Optional.empty() : Optional.of(grants);
    }

    static Optional<Actor> actor(Subject subject) {
        String user = null;
        String address = "local";
        for (Principal p : subject.getPrincipals()) {
            if (p instanceof UserPrincipal u) {
                user = u.getName();
            } else if (p instanceof ClientPrincipal c && c.getAddress() != null) {
                address = c.getAddress();
            }
        }
        if (user == null || !Actor.USER_NAME.matcher(user).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Actor(user, Door.SHELL, address));
    }
}
