package cloud.hop3.api.audit;

import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.access.Actor;

/**
 * What is to be recorded about one change; the trail adds its sequence number, time and hashes.
 *
 * @param actor   who made the change, through which door, from where
 * @param action  what was done: a short lower-case verb phrase, such as {@code config.set},
 *                {@code app.deploy} or {@code key.remove} (see {@link #ACTION})
 * @param target  what it was done to: an app's name, a host name, a key's or add-on's name,
 *                {@code platform}; one word (see {@link #TARGET})
 * @param result  how it ended
 * @param details what else names the change: config var names, process types and counts, a
 *                release, a revision; never a value that could be secret. Each is one word
 *                without {@code =} (see {@link #DETAIL}), at most {@value #MAX_DETAILS} of them.
 */
public record AuditEntry(Actor actor, String action, String target, AuditResult result, List<String> details) {

    /** An action: lower-case words joined by dots, such as {@code config.set} or {@code addon.credentials-rotate}. */
    public static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]{0,30}(\\.[a-z][a-z0-9-]{0,30}){1,3}");
    /** A target: one word of at most 253 visible characters. */
    public static final Pattern TARGET = Pattern.compile("[^\\s\\p{Cntrl}]{1,253}");
    /**
     * A detail: one word of at most 200 visible characters and no {@code =}, so that a
     * {@code name=value} pair cannot be written as a detail by mistake.
     */
    public static final Pattern DETAIL = Pattern.compile("[^\\s\\p{Cntrl}=]{1,200}");
    /** The most details a record holds. */
    public static final int MAX_DETAILS = 64;

    public AuditEntry {
        if (actor == null) {
            throw new IllegalArgumentException("An audit record needs an actor");
        }
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("Invalid audit action '" + action + "': lower-case words joined by dots,"
                    + " such as config.set");
        }
        if (target == null || !TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("Invalid audit target '" + target + "': one word of at most 253 characters");
        }
        if (result == null) {
            throw new IllegalArgumentException("An audit record needs a result");
        }
        details = details == null ? List.of() : List.copyOf(details);
        if (details.size() > MAX_DETAILS) {
            throw new IllegalArgumentException("An audit record holds at most " + MAX_DETAILS + " details, not "
                    + details.size());
        }
        for (String d : details) {
            if (!DETAIL.matcher(d).matches()) {
                throw new IllegalArgumentException("Invalid audit detail '" + d + "': one word of at most 200 characters,"
                        + " without '=' (a detail names things, it never holds a value)");
            }
        }
    }
}
