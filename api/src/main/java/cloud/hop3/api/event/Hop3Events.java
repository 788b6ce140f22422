package cloud.hop3.api.event;

/**
 * Topics and property keys of the events that core publishes on OSGi Event Admin. Subscribe with
 * an {@code org.osgi.service.event.EventHandler} whose {@code event.topics} is, for example,
 * {@code cloud/hop3/app/*}. Events are posted asynchronously, after the change is persisted.
 */
public final class Hop3Events {

    /** Prefix of every app event topic. */
    public static final String APP_TOPIC_PREFIX = "cloud/hop3/app/";

    /** An app was created. */
    public static final String APP_CREATED = APP_TOPIC_PREFIX + "CREATED";
    /** A deploy started: a push was received, or a rollback, config change or scale began. */
    public static final String APP_DEPLOY_STARTED = APP_TOPIC_PREFIX + "DEPLOY_STARTED";
    /** A new release serves. */
    public static final String APP_DEPLOYED = APP_TOPIC_PREFIX + "DEPLOYED";
    /** A deploy, rollback, config change or scale failed; the previous release still serves. */
    public static final String APP_DEPLOY_FAILED = APP_TOPIC_PREFIX + "DEPLOY_FAILED";
    /** The formation changed. */
    public static final String APP_SCALED = APP_TOPIC_PREFIX + "SCALED";
    /** A process went into a crash loop. */
    public static final String APP_CRASHED = APP_TOPIC_PREFIX + "CRASHED";
    /**
     * A process went over its memory limit and the system killed it; it is restarted like after a
     * crash. {@link #MESSAGE} names the process and the limit.
     */
    public static final String APP_OUT_OF_MEMORY = APP_TOPIC_PREFIX + "OUT_OF_MEMORY";
    /** An app was destroyed. */
    public static final String APP_DESTROYED = APP_TOPIC_PREFIX + "DESTROYED";

    /** Prefix of every certificate event topic. */
    public static final String TLS_TOPIC_PREFIX = "cloud/hop3/tls/";
    /** An app's certificate was issued or renewed, and serves. */
    public static final String TLS_ISSUED = TLS_TOPIC_PREFIX + "ISSUED";
    /**
     * Issuing or renewing an app's certificate failed; {@link #MESSAGE} says why. The previous
     * certificate, if any, keeps serving, and the attempt is retried.
     */
    public static final String TLS_FAILED = TLS_TOPIC_PREFIX + "FAILED";
    /** Property: the host names of a certificate (a String, comma separated). */
    public static final String HOSTS = "hosts";

    /** Prefix of every backup event topic. */
    public static final String BACKUP_TOPIC_PREFIX = "cloud/hop3/backup/";

    /** Property: the app's name (a String). */
    public static final String APP = "app";
    /** Property: the release number (an Integer). */
    public static final String RELEASE = "release";
    /** Property: a message for people (a String), for example a failure's reason. */
    public static final String MESSAGE = "message";
    /** Property: who caused the event (a String: user name or key name). */
    public static final String ACTOR = "actor";

    private Hop3Events() {
    }
}
