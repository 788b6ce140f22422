package cloud.hop3.core.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Grant;
import cloud.hop3.api.access.NewToken;
import cloud.hop3.api.access.Permission;
import cloud.hop3.api.access.Role;
import cloud.hop3.api.access.Token;
import cloud.hop3.api.access.User;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.key.AuthorizedKey;

/** For command tests about what a command does once allowed: allows every check and records it. */
final class AllowEverything implements AccessService {

    /** The checks asked, as "PERMISSION app" (or "PERMISSION -"). */
    final List<String> asked = new ArrayList<>();

    @Override
    public void check(Permission permission, Optional<AppName> app) {
        asked.add(permission + " " + app.map(AppName::value).orElse("-"));
    }

    @Override
    public void check(Actor actor, Permission permission, Optional<AppName> app) {
        check(permission, app);
    }

    @Override
    public boolean allows(Actor actor, Permission permission, Optional<AppName> app) {
        return true;
    }

    @Override
    public Optional<User> userOf(Actor actor) {
        return Optional.empty();
    }

    @Override
    public Optional<Actor> currentActor() {
        return Optional.of(new Actor("tester", cloud.hop3.api.access.Door.SHELL, "local"));
    }

    @Override
    public void checkTokensOf(String user) {
        asked.add("TOKENS " + user);
    }

    @Override
    public List<User> users() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<User> user(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public User addUser(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeUser(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public User setDisabled(String name, boolean disabled) {
        throw new UnsupportedOperationException();
    }

    @Override
    public User grant(String name, Grant grant) {
        throw new UnsupportedOperationException();
    }

    @Override
    public User revoke(String name, Role role, Set<AppName> apps) {
        throw new UnsupportedOperationException();
    }

    @Override
    public AuthorizedKey addKey(String user, String keyName, String publicKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<User> ownerOfKey(String keyName) {
        throw new UnsupportedOperationException();
    }

    @Override
    public NewToken createToken(String user, Optional<Duration> validFor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Token> tokens(Optional<String> user) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Token revokeToken(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public User authenticate(String secret) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T, E extends Exception> T runAs(cloud.hop3.api.access.Actor actor, Work<T, E> work) throws E {
        return work.run();
    }
}
