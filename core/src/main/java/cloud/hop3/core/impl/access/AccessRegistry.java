package cloud.hop3.core.impl.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.AccessDeniedException;
import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.NewToken;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.Token;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.key.AuthorizedKey;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.actor.ShellSubjects;
import cloud.hop3.core.impl.keys.AuthorizedKeys;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The users, their roles, keys and tokens, in {@code HOP3_HOME/access/users.json} (owner-only),
 * and the decision of {@link AccessRules} for every door.
 *
 * <p>On the first start of a platform that had no users (an installation from before users, or a
 * new one) every push key becomes a key of the user {@code admin}, and the user {@code operator}
 * (the shell login of {@code bin/hop3}) is made too, both admins: what worked before keeps
 * working. A key that no user claims (one a platform restore brought back) is the admin's, as
 * before users. A shell login that is no user here (a line the operator wrote by hand) is judged
 * by its Karaf roles ({@link ShellSubjects#karafLogin}). Token secrets are kept as SHA-256 hashes only. After every change, the shell
 * logins of {@code etc/keys.properties} that hop3 manages are written again ({@link ShellLogins}).
 *
 * <p>Longer than a component should be: users, their keys and their tokens share one document
 * and one lock, so that a change of one never undoes a change of another.
 */
@Component(service = {AccessService.class, AccessRegistry.class}, configurationPid = CoreConfig.PID)
public class AccessRegistry implements AccessService {

    private static final Logger LOG = LoggerFactory.getLogger(AccessRegistry.class);
    static final Path DOCUMENT = Path.of("access", "users.json");
    /** The user that existing keys and keys added without a user belong to. */
    public static final String ADMIN = "admin";
    /** The shell login of {@code bin/hop3}. */
    public static final String OPERATOR = "operator";
    private static final String TOKEN_PREFIX = "hop3_";

    /** A grant as stored. */
    record StoredGrant(String role, List<String> apps) {
    }

    /** A user as stored. */
    record StoredUser(String name, boolean disabled, List<StoredGrant> grants, List<String> keys, Instant created) {
    }

    /** A token as stored: the hash of its secret, never the secret. */
    /** How precisely a token's "last used" is kept: it is written at most once in this time. */
    static final java.time.Duration LAST_USED_RESOLUTION = java.time.Duration.ofMinutes(1);

    record StoredToken(String id, String user, String sha256, Instant created, Instant expires, Instant lastUsed) {
    }

    /** The stored document. */
    record UsersDocument(int version, List<StoredUser> users, List<StoredToken> tokens) {
        UsersDocument {
            users = users == null ? List.of() : List.copyOf(users);
            tokens = tokens == null ? List.of() : List.copyOf(tokens);
        }
    }

    @Reference
    private AuthorizedKeys keys;

    private DocumentStore store;
    private Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private ShellLogins logins;
    private volatile UsersDocument document = new UsersDocument(1, List.of(), List.of());
    /** The document's users by name and tokens by hash: what every request looks up, rebuilt with the document. */
    private volatile Index index = Index.of(document, this::toUser);

    /** For DS. */
    public AccessRegistry() {
    }

    /** For tests: users under {@code home}, shell logins in {@code keysProperties} when given. */
    public AccessRegistry(Path home, AuthorizedKeys keys, Clock clock, Optional<Path> keysProperties) throws IOException {
        this.keys = keys;
        this.clock = clock;
        open(home, keysProperties);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        String etc = System.getProperty("karaf.etc");
        open(PlatformSettings.resolve(config).home(),
                etc == null ? Optional.empty() : Optional.of(Path.of(etc).resolve("keys.properties")));
    }

    /** A change of core's configuration restarts nothing: the state directory is read once, at activation. */
    @Modified
    void modified(CoreConfig config) {
        // nothing here follows a configuration change
    }

    private synchronized void open(Path home, Optional<Path> keysProperties) throws IOException {
        store = new DocumentStore(home);
        store.removeLeftovers(DOCUMENT.getParent());
        logins = keysProperties.map(ShellLogins::new).orElse(null);
        keys.onRemoved(this::forgetKey);
        Optional<UsersDocument> stored = store.read(DOCUMENT, UsersDocument.class);
        if (stored.isPresent()) {
            use(stored.get());
            publishLogins();
        } else {
            migrate();
        }
    }

    /** The first start with users: the push keys become the admin's, and the operator an admin. */
    private void migrate() {
        Instant now = clock.instant();
        List<String> existing = keys.list().stream().map(AuthorizedKey::name).toList();
        StoredGrant admin = new StoredGrant(Role.ADMIN.word(), List.of());
        save(new UsersDocument(1, List.of(
                new StoredUser(ADMIN, false, List.of(admin), existing, now),
                new StoredUser(OPERATOR, false, List.of(admin), List.of(), now)), List.of()));
        LOG.info("Users introduced: admin holds the {} existing push key(s), operator logs in to the shell; both are admins",
                existing.size());
    }

    /**
     * Takes over the users of another installation, whose state directory is {@code otherHome} (a
     * restored platform backup), after its push keys ({@link AuthorizedKeys#adopt}): each user of
     * no name here is added with their roles, their state (disabled or not), the keys of theirs
     * that are authorised here, and their API tokens. A user whose name is here already is left as
     * it is here, roles and tokens included, so that a restore never widens what a user here may do.
     *
     * @return the names of the users added
     */
    public synchronized List<String> adopt(Path otherHome) throws IOException {
        Optional<UsersDocument> other = new DocumentStore(otherHome).read(DOCUMENT, UsersDocument.class);
        if (other.isEmpty()) {
            return List.of();
        }
        java.util.Map<String, String> keysHere = keys.namesHere(otherHome);
        Set<String> owned = new java.util.HashSet<>();
        document.users().forEach(u -> owned.addAll(u.keys() == null ? List.of() : u.keys()));
        List<StoredUser> users = new ArrayList<>(document.users());
        List<String> added = new ArrayList<>();
        for (StoredUser u : other.get().users()) {
            try {
                User.checkName(u.name());
                toUser(u);
            } catch (IllegalArgumentException e) {
                LOG.warn("User {} of the restored installation is not taken over: {}", u.name(), e.getMessage());
                continue;
            }
            if (user(u.name()).isPresent() || Actor.PLATFORM_USER.equals(u.name())) {
                continue;
            }
            List<String> theirKeys = (u.keys() == null ? List.<String>of() : u.keys()).stream().map(keysHere::get)
                    .filter(k -> k != null && owned.add(k)).toList();
            users.add(new StoredUser(u.name(), u.disabled(), u.grants(), theirKeys, u.created()));
            added.add(u.name());
        }
        List<StoredToken> tokens = new ArrayList<>(document.tokens());
        Set<String> ids = new java.util.HashSet<>(tokens.stream().map(StoredToken::id).toList());
        for (StoredToken t : other.get().tokens()) {
            if (added.contains(t.user()) && ids.add(t.id())) {
                tokens.add(t);
            }
        }
        save(new UsersDocument(1, users, tokens));
        LOG.info("Users taken over from a restored installation: {}", added);
        return added;
    }

    @Override
    public List<User> users() {
        return document.users().stream().map(u -> toUser(u)).sorted(Comparator.comparing(User::name)).toList();
    }

    @Override
    public Optional<User> user(String name) {
        return Optional.ofNullable(name == null ? null : index.users().get(name));
    }

    @Override
    public synchronized User addUser(String name) {
        User.checkName(name);
        if (Actor.PLATFORM_USER.equals(name)) {
            throw new IllegalArgumentException("'" + name + "' names the platform's own work; pick another user name.");
        }
        if (user(name).isPresent()) {
            throw new IllegalStateException("There is a user '" + name + "' already; user:list shows the users.");
        }
        List<StoredUser> users = new ArrayList<>(document.users());
        users.add(new StoredUser(name, false, List.of(), List.of(), clock.instant()));
        save(new UsersDocument(1, users, document.tokens()));
        LOG.info("User {} added", name);
        return user(name).orElseThrow();
    }

    @Override
    public synchronized void removeUser(String name) {
        User user = existing(name);
        List<StoredUser> users = new ArrayList<>(document.users());
        users.removeIf(u -> u.name().equals(name));
        checkAnAdminRemains(users, "remove");
        List<StoredToken> tokens = document.tokens().stream().filter(t -> !t.user().equals(name)).toList();
        save(new UsersDocument(1, users, tokens));
        for (String key : user.keys()) {
            try {
                keys.remove(key);
            } catch (NoSuchElementException e) {
                // removed with key:remove already
            }
        }
        LOG.info("User {} removed, with {} key(s)", name, user.keys().size());
    }

    @Override
    public synchronized User setDisabled(String name, boolean disabled) {
        User user = change(name, u -> new StoredUser(u.name(), disabled, u.grants(), u.keys(), u.created()), disabled ? "disable" : null);
        LOG.info("User {} {}", name, disabled ? "disabled" : "enabled");
        return user;
    }

    @Override
    public synchronized User grant(String name, Grant grant) {
        User before = existing(name);
        List<Grant> grants = new ArrayList<>();
        boolean merged = false;
        for (Grant g : before.grants()) {
            if (g.role() == grant.role()) {
                merged = true;
                if (g.everyApp() || grant.everyApp()) {
                    grants.add(new Grant(g.role(), Set.of()));
                } else {
                    Set<AppName> apps = new TreeSet<>(g.apps());
                    apps.addAll(grant.apps());
                    grants.add(new Grant(g.role(), apps));
                }
            } else {
                grants.add(g);
            }
        }
        if (!merged) {
            grants.add(grant);
        }
        User user = change(name, u -> new StoredUser(u.name(), u.disabled(), stored(grants), u.keys(), u.created()), null);
        LOG.info("User {} granted {}", name, grant);
        return user;
    }

    @Override
    public synchronized User revoke(String name, Role role, Set<AppName> apps) {
        User before = existing(name);
        if (before.grants().stream().noneMatch(g -> g.role() == role)) {
            throw new IllegalStateException("User '" + name + "' has no " + role + " role ("
                    + before.describeGrants() + ").");
        }
        List<Grant> grants = new ArrayList<>();
        for (Grant g : before.grants()) {
            if (g.role() != role) {
                grants.add(g);
            } else if (!apps.isEmpty()) {
                if (g.everyApp()) {
                    throw new IllegalStateException("User '" + name + "' is " + g + "; revoke it whole with user:revoke "
                            + name + " " + g.role() + ", then grant the apps that should stay.");
                }
                Set<AppName> left = new TreeSet<>(g.apps());
                left.removeAll(apps);
                if (!left.isEmpty()) {
                    grants.add(new Grant(g.role(), left));
                }
            }
        }
        User user = change(name, u -> new StoredUser(u.name(), u.disabled(), stored(grants), u.keys(), u.created()), "revoke");
        LOG.info("User {} revoked {}{}", name, role, apps.isEmpty() ? "" : " on " + apps);
        return user;
    }

    @Override
    public synchronized AuthorizedKey addKey(String user, String keyName, String publicKey) {
        existing(user);
        AuthorizedKey key = keys.add(keyName, publicKey);
        List<StoredUser> users = new ArrayList<>();
        for (StoredUser u : document.users()) {
            List<String> names = new ArrayList<>(u.keys());
            names.remove(keyName);
            if (u.name().equals(user)) {
                names.add(keyName);
            }
            users.add(new StoredUser(u.name(), u.disabled(), u.grants(), names, u.created()));
        }
        save(new UsersDocument(1, users, document.tokens()));
        LOG.info("Key {} belongs to user {}", keyName, user);
        return key;
    }

    /** A key removed with key:remove is no longer anyone's: a later key of that name starts unowned. */
    private synchronized void forgetKey(String keyName) {
        if (document.users().stream().anyMatch(u -> u.keys() != null && u.keys().contains(keyName))) {
            save(document);
        }
    }

    @Override
    public Optional<User> ownerOfKey(String keyName) {
        Optional<User> owner = users().stream().filter(u -> u.keys().contains(keyName)).findFirst();
        if (owner.isEmpty() && keys.list().stream().anyMatch(k -> k.name().equals(keyName))) {
            return user(ADMIN);
        }
        return owner;
    }

    @Override
    public synchronized NewToken createToken(String user, Optional<Duration> validFor) {
        existing(user);
        if (validFor.isPresent() && (validFor.get().isNegative() || validFor.get().isZero())) {
            throw new IllegalArgumentException("A token must be valid for some time; give a positive number of days.");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byte[] idBytes = new byte[6];
        random.nextBytes(idBytes);
        String id = "tok-" + HexFormat.of().formatHex(idBytes);
        Instant now = clock.instant();
        StoredToken stored = new StoredToken(id, user, sha256(secret), now, validFor.map(now::plus).orElse(null), null);
        List<StoredToken> tokens = new ArrayList<>(document.tokens());
        tokens.add(stored);
        save(new UsersDocument(1, document.users(), tokens));
        LOG.info("Token {} created for user {}", id, user);
        return new NewToken(toToken(stored), secret);
    }

    @Override
    public List<Token> tokens(Optional<String> user) {
        return document.tokens().stream().filter(t -> user.isEmpty() || t.user().equals(user.get()))
                .map(AccessRegistry::toToken).sorted(Comparator.comparing(Token::user).thenComparing(Token::created)).toList();
    }

    @Override
    public synchronized Token revokeToken(String id) {
        StoredToken token = document.tokens().stream().filter(t -> t.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("There is no token '" + shown(id) + "'; token:list shows the tokens."));
        List<StoredToken> tokens = new ArrayList<>(document.tokens());
        tokens.remove(token);
        save(new UsersDocument(1, document.users(), tokens));
        LOG.info("Token {} of user {} revoked", id, token.user());
        return toToken(token);
    }

    @Override
    public synchronized User authenticate(String secret) {
        // looked up by the hash of the secret: what an attacker learns from the time of a lookup is
        // about hashes of their guesses, not about any stored secret
        StoredToken found = index.tokens().get(sha256(secret == null ? "" : secret));
        if (found == null) {
            throw new AccessDeniedException("This token is not valid (it may have been revoked); ask for a new one with token:create.");
        }
        Instant now = clock.instant();
        if (toToken(found).expiredAt(now)) {
            throw new AccessDeniedException("Token " + found.id() + " expired at " + found.expires() + "; ask for a new one with token:create.");
        }
        User user = user(found.user()).orElseThrow(() -> new AccessDeniedException("This token's user no longer exists."));
        if (user.disabled()) {
            throw new AccessDeniedException("User '" + user.name() + "' is disabled; an admin can enable it with user:enable "
                    + user.name() + ".");
        }
        // "last used" to the minute: a request does not write the users' document each time
        if (found.lastUsed() == null || !now.isBefore(found.lastUsed().plus(LAST_USED_RESOLUTION))) {
            List<StoredToken> tokens = new ArrayList<>();
            for (StoredToken t : document.tokens()) {
                tokens.add(t == found ? new StoredToken(t.id(), t.user(), t.sha256(), t.created(), t.expires(), now) : t);
            }
            save(new UsersDocument(1, document.users(), tokens));
        }
        return user;
    }

    @Override
    public void check(Actor actor, Permission permission, Optional<AppName> app) {
        Optional<String> refusal = refusal(actor, permission, app);
        if (refusal.isPresent()) {
            LOG.info("Refused: {} through {} from {}: {}", actor.user(), actor.door(), actor.address(), refusal.get());
            throw new AccessDeniedException(refusal.get());
        }
    }

    @Override
    public void check(Permission permission, Optional<AppName> app) {
        Actor actor = CurrentActor.get().orElseThrow(() -> new AccessDeniedException(
                "No user is named for this work, so it is refused; log in with your key or token."));
        check(actor, permission, app);
    }

    @Override
    public boolean allows(Actor actor, Permission permission, Optional<AppName> app) {
        return refusal(actor, permission, app).isEmpty();
    }

    @Override
    public <T, E extends Exception> T runAs(Actor actor, Work<T, E> work) throws E {
        if (actor == null) {
            throw new IllegalArgumentException("Work is run as an actor; name one.");
        }
        return CurrentActor.as(actor, work::run);
    }

    @Override
    public Optional<Actor> currentActor() {
        return CurrentActor.get();
    }

    @Override
    public void checkTokensOf(String user) {
        Actor actor = CurrentActor.get().orElseThrow(() -> new AccessDeniedException(
                "No user is named for this work, so it is refused; log in with your key or token."));
        Optional<String> refusal = AccessRules.tokenRefusal(actor.user(), effectiveUser(actor), user);
        if (refusal.isPresent()) {
            LOG.info("Refused: {} through {} from {}: {}", actor.user(), actor.door(), actor.address(), refusal.get());
            throw new AccessDeniedException(refusal.get());
        }
    }

    private Optional<String> refusal(Actor actor, Permission permission, Optional<AppName> app) {
        if (Actor.PLATFORM_USER.equals(actor.user()) && (actor.door() == Door.PLATFORM || actor.door() == Door.SCHEDULE)) {
            return Optional.empty();
        }
        Optional<User> user = effectiveUser(actor);
        if (user.isEmpty()) {
            return Optional.of("'" + actor.user() + "' is not a user of this platform; an admin can add it with user:add "
                    + actor.user() + " and give it a role with user:grant.");
        }
        return AccessRules.refusal(user.get(), permission, app);
    }

    @Override
    public Optional<User> userOf(Actor actor) {
        return effectiveUser(actor);
    }

    /**
     * The user record that decides for {@code actor}: for a session of the shell or of the REST
     * API that logged in with a password through the directory (the thread runs as its JAAS
     * subject), a user with the roles its groups gave ({@link ShellSubjects#directoryGrants}),
     * disabled when a user of this platform of that name is (the local user's roles do not
     * apply, so that a directory account never takes a local user's rights by its name); else the
     * user of that name, or a login of the realm by its Karaf roles. A request with an API token
     * runs as no subject, so it is its user's alone.
     */
    Optional<User> effectiveUser(Actor actor) {
        Optional<User> user = user(actor.user());
        if (actor.door() == Door.SHELL || actor.door() == Door.API) {
            Optional<List<Grant>> directory = ShellSubjects.directoryGrants(actor.user());
            if (directory.isPresent()) {
                boolean disabled = user.map(User::disabled).orElse(false);
                return Optional.of(new User(actor.user(), disabled, directory.get(), List.of(), clock.instant()));
            }
            if (user.isEmpty()) {
                return ShellSubjects.karafLogin(actor.user(), clock.instant());
            }
        }
        return user;
    }

    private User existing(String name) {
        return user(name).orElseThrow(() -> new NoSuchElementException("There is no user '" + shown(name)
                + "'; user:list shows the users."));
    }

    /** Changes one user; {@code guard} names the change when it must leave an enabled admin. */
    private User change(String name, UnaryOperator<StoredUser> change, String guard) {
        existing(name);
        List<StoredUser> users = document.users().stream().map(u -> u.name().equals(name) ? change.apply(u) : u).toList();
        if (guard != null) {
            checkAnAdminRemains(users, guard);
        }
        save(new UsersDocument(1, users, document.tokens()));
        return user(name).orElseThrow();
    }

    private void checkAnAdminRemains(List<StoredUser> users, String verb) {
        boolean hadOne = document.users().stream().map(this::toUser).anyMatch(u -> !u.disabled() && u.has(Role.ADMIN));
        boolean remains = users.stream().map(this::toUser).anyMatch(u -> !u.disabled() && u.has(Role.ADMIN));
        if (hadOne && !remains) {
            throw new IllegalStateException("Cannot " + verb + ": no enabled admin would remain, and nobody could manage"
                    + " users any more. Make another user admin first (user:grant <user> admin).");
        }
    }

    private void save(UsersDocument proposed) {
        // only keys that exist are anyone's
        Set<String> present = new java.util.HashSet<>(keys.list().stream().map(AuthorizedKey::name).toList());
        UsersDocument next = new UsersDocument(proposed.version(), proposed.users().stream()
                .map(u -> new StoredUser(u.name(), u.disabled(), u.grants(),
                        u.keys() == null ? List.of() : u.keys().stream().filter(present::contains).toList(), u.created()))
                .toList(), proposed.tokens());
        try {
            store.writePrivate(DOCUMENT, next);
            Files.setPosixFilePermissions(store.root().resolve(DOCUMENT).getParent(),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions on this file system: the document itself was written as private as it allows
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the users", e);
        }
        use(next);
        publishLogins();
    }

    private void publishLogins() {
        if (logins == null) {
            return;
        }
        try {
            logins.write(users(), name -> keys.list().stream().filter(k -> k.name().equals(name)).findFirst());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot update the shell logins in {}: {}", logins.file(), e.toString());
        }
    }

    private void use(UsersDocument next) {
        index = Index.of(next, this::toUser);
        document = next;
    }

    /** Users by name, in the document's order, and tokens by the hash of their secret. */
    private record Index(Map<String, User> users, Map<String, StoredToken> tokens) {
        static Index of(UsersDocument document, Function<StoredUser, User> toUser) {
            Map<String, User> users = new LinkedHashMap<>();
            document.users().forEach(u -> users.put(u.name(), toUser.apply(u)));
            Map<String, StoredToken> tokens = new HashMap<>();
            document.tokens().forEach(t -> tokens.put(t.sha256(), t));
            return new Index(users, tokens);
        }
    }

    private User toUser(StoredUser u) {
        List<Grant> grants = u.grants() == null ? List.of()
                : u.grants().stream().map(g -> Grant.of(g.role(), g.apps() == null ? List.of() : g.apps())).toList();
        return new User(u.name(), u.disabled(), grants, u.keys(), u.created());
    }

    private static List<StoredGrant> stored(List<Grant> grants) {
        return grants.stream().map(g -> new StoredGrant(g.role().word(), g.apps().stream().map(AppName::value).toList())).toList();
    }

    private static Token toToken(StoredToken t) {
        return new Token(t.id(), t.user(), t.created(), t.expires(), t.lastUsed());
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String shown(String s) {
        return s == null ? "" : (s.length() > 40 ? s.substring(0, 40) + "..." : s).replaceAll("[^\\x20-\\x7e]", "?");
    }
}
