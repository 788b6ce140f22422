package cloud.hop3.core.impl.actor;

import java.util.Optional;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;

/**
 * Who the work on this thread is done for. Each door (the git server, the shell, the REST API, a
 * schedule) names its actor around the work it starts; the authorization service and the audit
 * trail read it. Work handed to another thread (a deploy queue) carries it with {@link #bound}.
 */
public final class CurrentActor {

    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();

    private CurrentActor() {
    }

    /**
     * The actor of this thread's work, if a door named one. A shell command's thread names none
     * itself: Karaf runs it as the JAAS subject of the session, so its actor is that subject's user
     * (its {@code UserPrincipal}), through {@link Door#SHELL}, from the address of its
     * {@code ClientPrincipal}.
     */
    public static Optional<Actor> get() {
        Actor actor = CURRENT.get();
        return actor != null ? Optional.of(actor) : ShellSubjects.actor();
    }

    /** The actor of this thread's work, or the platform itself when no door named one. */
    public static Actor orPlatform() {
        return get().orElse(Actor.platform(Door.PLATFORM));
    }

    /** Work that may throw. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code work} as {@code actor}, then puts back the actor this thread had. */
    public static <T, E extends Exception> T as(Actor actor, Work<T, E> work) throws E {
        Actor before = CURRENT.get();
        CURRENT.set(actor);
        try {
            return work.run();
        } finally {
            if (before == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(before);
            }
        }
    }

    /** {@code work} that runs, on whichever thread, as this thread's actor now. */
    public static Runnable bound(Runnable work) {
        Actor actor = get().orElse(null);
        if (actor == null) {
            return work;
        }
        return () -> as(actor, () -> {
            work.run();
            return null;
        });
    }
}
