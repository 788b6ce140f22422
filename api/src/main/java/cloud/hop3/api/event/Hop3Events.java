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
    /**
     * A deploy was found interrupted by a stop of the platform (a crash, kill -9), at the next
     * start: nothing of it was kept, and the previous release serves. {@link #REVISION} names
     * what was being deployed, {@link #MESSAGE} says when; the actor properties are those of
     * whoever started the deploy.
     */
    public static final String APP_DEPLOY_INTERRUPTED = APP_TOPIC_PREFIX + "DEPLOY_INTERRUPTED";
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
    /** A backup of an app was taken and stored; {@link #BACKUP} names it. */
    public static final String BACKUP_CREATED = BACKUP_TOPIC_PREFIX + "CREATED";
    /**
     * A backup of an app failed and nothing was stored; {@link #MESSAGE} says why. A scheduled
     * backup is tried again at its next time.
     */
    public static final String BACKUP_FAILED = BACKUP_TOPIC_PREFIX + "FAILED";
    /**
     * A restore check of a backup failed: what came back from restoring it into a scratch place
     * differs from what its manifest recorded, or could not be restored; {@link #MESSAGE} names
     * the first difference. The backup is kept, and shown as failing its check.
     */
    public static final String BACKUP_CHECK_FAILED = BACKUP_TOPIC_PREFIX + "CHECK_FAILED";
    /** Property: the id of a backup (a String). */
    public static final String BACKUP = "backup";

    /** Prefix of every plugin event topic. */
    public static final String PLUGIN_TOPIC_PREFIX = "cloud/hop3/plugin/";
    /**
     * A plugin (a Karaf feature) was installed or updated; {@link #PLUGIN} names it, {@link #VERSION}
     * gives its version.
     *
     * @since 1.5
     */
    public static final String PLUGIN_INSTALLED = PLUGIN_TOPIC_PREFIX + "INSTALLED";
    /**
     * A plugin (a Karaf feature) was removed; {@link #PLUGIN} names it.
     *
     * @since 1.5
     */
    public static final String PLUGIN_REMOVED = PLUGIN_TOPIC_PREFIX + "REMOVED";
    /** Property: the name of a plugin's feature (a String). @since 1.5 */
    public static final String PLUGIN = "plugin";
    /** Property: a version (a String). @since 1.5 */
    public static final String VERSION = "version";

    /** Property: the app's name (a String). */
    public static final String APP = "app";
    /** Property: the release number (an Integer). */
    public static final String RELEASE = "release";
    /** Property: a git revision (a String). */
    public static final String REVISION = "revision";
    /** Property: a message for people (a String), for example a failure's reason. */
    public static final String MESSAGE = "message";
    /**
     * Property: who caused the event (a String: the user's name, or {@code hop3} for the
     * platform's own work). Every event core posts carries it, with {@link #ACTOR_DOOR} and
     * {@link #ACTOR_ADDRESS}, as they were on the thread that made the change.
     */
    public static final String ACTOR = "actor";
    /** Property: the door the actor came in by (a String: {@code git}, {@code shell}, {@code schedule}, ...). */
    public static final String ACTOR_DOOR = "actor.door";
    /** Property: where the actor came from (a String: an IP address, or {@code local}). */
    public static final String ACTOR_ADDRESS = "actor.address";

    private Hop3Events() {
    }
}
