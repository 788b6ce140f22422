package cloud.hop3.api.access;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.key.AuthorizedKey;

/**
 * Users, their roles, keys and tokens, and the one decision that every door (git, the shell, the
 * REST API) asks for before it acts. Implemented by core; thread-safe; every change is saved
 * before the method returns and applies to the next request at every door.
 */
@ProviderType
public interface AccessService {

    /** Every user, sorted by name. */
    List<User> users();

    /** The user of that name, if any. */
    Optional<User> user(String name);

    /**
     * Adds a user with no role and no key.
     *
     * @throws IllegalArgumentException when the name is not valid
     * @throws IllegalStateException    when there is such a user already
     */
    User addUser(String name);

    /**
     * Removes a user, with their SSH keys and tokens.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     * @throws IllegalStateException            when it is the last admin who is not disabled
     */
    void removeUser(String name);

    /**
     * Disables or enables a user: a disabled user is refused at every door, keys and tokens
     * included, until enabled again.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     * @throws IllegalStateException            when it would disable the last admin
     */
    User setDisabled(String name, boolean disabled);

    /**
     * Gives a role; on apps, the apps are added to those the user already has that role on.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     */
    User grant(String name, Grant grant);

    /**
     * Takes a role back: on {@code apps}, or everywhere when {@code apps} is empty.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     * @throws IllegalStateException            when the user has no such role, when it would take
     *                                          named apps out of a grant on every app, or leave no enabled admin
     */
    User revoke(String name, Role role, Set<AppName> apps);

    /**
     * Adds an SSH key for a user: it pushes with git as that user, and logs in to the shell as
     * that user.
     *
     * @throws java.util.NoSuchElementException when there is no such user
     * @throws IllegalArgumentException         when the name or the key is not valid
     * @throws IllegalStateException            when the name or the key is already there
     */
    AuthorizedKey addKey(String user, String keyName, String publicKey);

    /** The user a key (by name) belongs to. */
    Optional<User> ownerOfKey(String keyName);

    /**
     * Creates an API token for a user.
     *
     * @param validFor how long it works, or empty for no expiry
     * @return the token and its secret, which is not kept and cannot be shown again
     * @throws java.util.NoSuchElementException when there is no such user
     */
    NewToken createToken(String user, Optional<Duration> validFor);

    /** The tokens of a user, or of every user when {@code user} is empty, without their secrets. */
    List<Token> tokens(Optional<String> user);

    /**
     * Revokes a token: it is refused from now on.
     *
     * @throws java.util.NoSuchElementException when there is no token of that id
     */
    Token revokeToken(String id);

    /**
     * The user a token's secret belongs to, recording that it was used.
     *
     * @throws AccessDeniedException when the secret is unknown, revoked or expired, or its user disabled
     */
    User authenticate(String secret);

    /**
     * Decides whether {@code actor} may do {@code permission}, on {@code app} or, when empty, on
     * the platform (or every app's lists, for {@link Permission#READ}).
     *
     * @throws AccessDeniedException with a message naming what was refused and whom to ask
     */
    void check(Actor actor, Permission permission, Optional<AppName> app);

    /**
     * {@link #check(Actor, Permission, Optional)} for the actor that the door in use named for the
     * calling thread's work: the user logged in to the shell, the owner of the key that pushes.
     *
     * @throws AccessDeniedException also when no door named an actor for this work
     */
    void check(Permission permission, Optional<AppName> app);

    /** Whether {@link #check} would let it through. */
    boolean allows(Actor actor, Permission permission, Optional<AppName> app);

    /** Work done for an actor; see {@link #runAs}. */
    @FunctionalInterface
    interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} on the calling thread as {@code actor}: {@link #check(Permission, Optional)}
     * asks about that actor, and the audit trail records the changes it makes (also those that a
     * deploy queue carries out on another thread) as that actor's. How a door that is not the
     * shell or the git server (the REST API) names who it acts for; the thread's earlier actor is
     * put back afterwards. It checks nothing itself.
     *
     * @since 1.1
     */
    <T, E extends Exception> T runAs(Actor actor, Work<T, E> work) throws E;

    /**
     * The actor that the door in use named for the calling thread's work, if any: what
     * {@link #check(Permission, Optional)} decides for. Lists show this actor only the apps it
     * may {@link Permission#READ}.
     *
     * @since 1.1
     */
    Optional<Actor> currentActor();

    /**
     * The user record that {@link #check(Actor, Permission, Optional)} decides from for
     * {@code actor}, called on the thread of the actor's work: for a login with a password
     * through the shell's login realm (a shell session, or a session of the REST API) that the
     * directory checked, a user whose roles are those its groups give; else the user of that name,
     * or a hand-written shell login judged by its Karaf roles. Empty when the actor is no user at
     * all. What a front end shows as "who am I".
     *
     * @since 1.2
     */
    Optional<User> userOf(Actor actor);

    /**
     * Decides whether the current actor may create, list or revoke the API tokens of {@code user}:
     * every user may manage their own; another's needs {@link Permission#ADMINISTER}.
     *
     * @throws AccessDeniedException with a message naming what was refused
     * @since 1.1
     */
    void checkTokensOf(String user);
}
