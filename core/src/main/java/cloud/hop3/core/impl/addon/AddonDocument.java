package cloud.hop3.core.impl.addon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonName;

/**
 * One add-on as the catalog keeps it in {@code HOP3_HOME/addons/<name>.json}. In memory the
 * credentials are plain; on disk each value is sealed (see {@link AddonCatalog}).
 *
 * @param schema      the document's schema
 * @param name        the add-on's name
 * @param type        its type ("postgres")
 * @param created     when it was created
 * @param options     the options it was created with ({@code version}...)
 * @param credentials what reaches it now
 * @param retiring    earlier credentials that still work because an app may still use them: a
 *                    rotation whose releases did not all succeed retires them later
 * @param attachments the apps it is attached to, by app name
 * @param instance    the name under which the plugin keeps it: the add-on's own name, until an
 *                    upgrade moved it to a new database ({@code shop-db-u2}); null means the name
 * @param previous    where an upgrade moved it from, kept until the upgrade is finished or undone;
 *                    null when no upgrade waits
 */
public record AddonDocument(int schema, String name, String type, Instant created, Map<String, String> options,
                            Map<String, String> credentials, List<Map<String, String>> retiring,
                            Map<String, Attachment> attachments, String instance, Previous previous) {

    /** The schema written now. */
    public static final int SCHEMA = 1;

    /**
     * How an add-on is attached to one app.
     *
     * @param prefix    the variables' prefix ({@code DATABASE})
     * @param variables the exact config vars the attachment set, which a detach removes
     */
    public record Attachment(String prefix, List<String> variables) {
        public Attachment {
            variables = variables == null ? List.of() : List.copyOf(variables);
        }
    }

    /**
     * The database an upgrade moved the add-on from, which still holds the data as it was then.
     *
     * @param instance    the plugin's name for it
     * @param options     the options it was created with
     * @param credentials what reaches it
     */
    public record Previous(String instance, Map<String, String> options, Map<String, String> credentials) {
        public Previous {
            options = options == null ? Map.of() : new TreeMap<>(options);
            credentials = credentials == null ? Map.of() : new TreeMap<>(credentials);
        }

        public AddonName instanceName() {
            return AddonName.of(instance);
        }

        public AddonCredentials current() {
            return new AddonCredentials(credentials);
        }
    }

    /** A new add-on, kept by the plugin under its own name. */
    public AddonDocument(int schema, String name, String type, Instant created, Map<String, String> options,
                         Map<String, String> credentials, List<Map<String, String>> retiring,
                         Map<String, Attachment> attachments) {
        this(schema, name, type, created, options, credentials, retiring, attachments, null, null);
    }

    public AddonDocument {
        options = options == null ? Map.of() : new TreeMap<>(options);
        credentials = credentials == null ? Map.of() : new TreeMap<>(credentials);
        retiring = retiring == null ? List.of() : retiring.stream().map(m -> (Map<String, String>) new TreeMap<>(m)).toList();
        attachments = attachments == null ? Map.of() : new TreeMap<>(attachments);
    }

    /** The name under which the plugin keeps the add-on's database now. */
    public AddonName instanceName() {
        return AddonName.of(instance == null ? name : instance);
    }

    /** The credentials as the plugin made them. */
    public AddonCredentials current() {
        return new AddonCredentials(credentials);
    }

    /** The earlier credentials not retired yet. */
    public List<AddonCredentials> retiringCredentials() {
        return retiring.stream().map(AddonCredentials::new).toList();
    }

    public AddonDocument withAttachment(String app, Attachment attachment) {
        Map<String, Attachment> changed = new TreeMap<>(attachments);
        if (attachment == null) {
            changed.remove(app);
        } else {
            changed.put(app, attachment);
        }
        return new AddonDocument(schema, name, type, created, options, credentials, retiring, changed, instance, previous);
    }

    /** New current credentials; the old ones join those to retire. */
    public AddonDocument withRotated(AddonCredentials next) {
        List<Map<String, String>> old = new ArrayList<>(retiring);
        old.add(credentials);
        return new AddonDocument(schema, name, type, created, options, next.values(), old, attachments, instance, previous);
    }

    public AddonDocument withRetiring(List<AddonCredentials> left) {
        return new AddonDocument(schema, name, type, created, options, credentials,
                left.stream().map(AddonCredentials::values).toList(), attachments, instance, previous);
    }

    /** The add-on moved to a new database; the one it leaves is kept as {@code previous}. */
    public AddonDocument withUpgrade(String newInstance, Map<String, String> newOptions, AddonCredentials newCredentials) {
        return new AddonDocument(schema, name, type, created, newOptions, newCredentials.values(), List.of(), attachments,
                newInstance, new Previous(instanceName().value(), options, credentials));
    }

    /** The add-on back in its previous database, or, with {@code previous} null, done with it. */
    public AddonDocument withPrevious(Previous kept) {
        return new AddonDocument(schema, name, type, created, options, credentials, retiring, attachments, instance, kept);
    }

    /** The add-on back where the upgrade took it from. */
    public AddonDocument undone() {
        return new AddonDocument(schema, name, type, created, previous.options(), previous.credentials(), List.of(),
                attachments, previous.instance().equals(name) ? null : previous.instance(), null);
    }

    @Override
    public String toString() {
        return "AddonDocument[" + name + ", " + type + ", attached to " + attachments.keySet() + "]";
    }
}
