package cloud.hop3.core.impl.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.audit.AuditEntry;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.core.impl.actor.CurrentActor;

/**
 * How core's services record a change in the audit trail: as the actor of the thread
 * ({@link CurrentActor#orPlatform()}), once the change is done or has failed. A trail that cannot
 * be written does not undo the change, which is already made: it is logged as an error.
 */
public final class Audited {

    private static final Logger LOG = LoggerFactory.getLogger(Audited.class);

    private Audited() {
    }

    /** Work whose outcome is recorded. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} and records it as {@code action} on {@code target}: ok, or failed with the
     * message of what it threw (which is thrown on), with {@code secrets} blanked out of it.
     */
    public static <T, E extends Exception> T run(AuditService audit, String action, String target, Collection<String> details,
                                                 Collection<String> secrets, Work<T, E> work) throws E {
        T result;
        try {
            result = work.run();
        } catch (Exception | Error e) {
            record(audit, action, target, AuditResult.failed(blank(reasonOf(e), secrets)), details);
            throw e;
        }
        record(audit, action, target, AuditResult.success(), details);
        return result;
    }

    /** Work that may also be interrupted. */
    @FunctionalInterface
    public interface Blocking<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    /** {@link #run} of work that may be interrupted (which is recorded as a failure too). */
    public static <T, E extends Exception> T blocking(AuditService audit, String action, String target,
                                                      Collection<String> details, Collection<String> secrets,
                                                      Blocking<T, E> work) throws E, InterruptedException {
        T result;
        try {
            result = work.run();
        } catch (Exception | Error e) {
            record(audit, action, target, AuditResult.failed(blank(reasonOf(e), secrets)), details);
            throw e;
        }
        record(audit, action, target, AuditResult.success(), details);
        return result;
    }

    /** {@link #blocking} of work that holds no secret. */
    public static <T, E extends Exception> T blocking(AuditService audit, String action, String target,
                                                      Collection<String> details, Blocking<T, E> work)
            throws E, InterruptedException {
        return blocking(audit, action, target, details, List.of(), work);
    }

    /** Records the failure of {@code action} for the reason {@code e} gives; for work with more kinds of failure than {@link #run} takes. */
    public static void failed(AuditService audit, String action, String target, Collection<String> details, Throwable e) {
        record(audit, action, target, AuditResult.failed(reasonOf(e)), details);
    }

    /** {@link #run} of work that holds no secret. */
    public static <T, E extends Exception> T run(AuditService audit, String action, String target, Collection<String> details,
                                                 Work<T, E> work) throws E {
        return run(audit, action, target, details, List.of(), work);
    }

    /** Records a change made by this thread's actor; never throws. */
    public static void record(AuditService audit, String action, String target, AuditResult result, Collection<String> details) {
        AuditEntry entry;
        try {
            String named = target != null && AuditEntry.TARGET.matcher(target).matches() ? target : "(invalid)";
            entry = new AuditEntry(CurrentActor.orPlatform(), action, named, result, words(details));
        } catch (IllegalArgumentException e) {
            LOG.error("Audit: {} on {} cannot be recorded: {}", action, target, e.getMessage());
            return;
        }
        write(audit, entry);
    }

    /** Appends {@code entry}; a failure is logged, never thrown. */
    static void write(AuditService audit, AuditEntry entry) {
        if (audit == null) {
            LOG.warn("Audit: the trail is not running; not recorded: {} {} on {} by {}: {}", entry.action(),
                    entry.result(), entry.target(), entry.actor().user(), entry.details());
            return;
        }
        try {
            audit.record(entry);
        } catch (RuntimeException e) {
            LOG.error("Audit: cannot record {} {} on {} by {}: {}", entry.action(), entry.result(), entry.target(),
                    entry.actor().user(), e.getMessage());
        }
    }

    /** Details as the trail takes them: each a word without '=' (spaces become '_', '=' becomes ':'). */
    static List<String> words(Collection<String> details) {
        List<String> words = new ArrayList<>();
        if (details != null) {
            for (String d : details) {
                String w = d == null ? "" : d.strip().replaceAll("[\\s\\p{Cntrl}]+", "_").replace('=', ':');
                if (!w.isEmpty()) {
                    words.add(w.length() > 200 ? w.substring(0, 200) : w);
                }
            }
        }
        return words.size() > AuditEntry.MAX_DETAILS ? words.subList(0, AuditEntry.MAX_DETAILS) : words;
    }

    /** {@code text} with each of {@code secrets} (of 3 characters or more) replaced by {@code ***}. */
    public static String blank(String text, Collection<String> secrets) {
        String out = text;
        for (String s : secrets) {
            if (s != null && s.length() >= 3) {
                out = out.replace(s, "***");
            }
        }
        return out;
    }

    /** A failure's message, with the password of any URL in it blanked out ({@link #withoutPasswords}). */
    static String reasonOf(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : withoutPasswords(m);
    }

    /** {@code text} with the password of each URL in it ({@code scheme://user:password@host}) replaced by {@code ***}. */
    public static String withoutPasswords(String text) {
        return text.replaceAll("(://[^:/@\\s]*):[^@/\\s]+@", "$1:***@");
    }
}
