package cloud.hop3.core.impl.addon;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import cloud.hop3.api.addon.AddonCredentials;

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
 */
public record AddonDocument(int schema, String name, String type, Instant created, Map<String, String> options,
                            Map<String, String> credentials, List<Map<String, String>> retiring,
                            Map<String, Attachment> attachments) {

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

    public AddonDocument {
        options = options == null ? Map.of() : new TreeMap<>(options);
        credentials = credentials == null ? Map.of() : new TreeMap<>(credentials);
        retiring = retiring == null ? List.of() : retiring.stream().map(m -> (Map<String, String>) new TreeMap<>(m)).toList();
        attachments = attachments == null ? Map.of() : new TreeMap<>(attachments);
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
        return new AddonDocument(schema, name, type, created, options, credentials, retiring, changed);
    }

    /** New current credentials; the old ones join those to retire. */
    public AddonDocument withRotated(AddonCredentials next) {
        List<Map<String, String>> old = new ArrayList<>(retiring);
        old.add(credentials);
        return new AddonDocument(schema, name, type, created, options, next.values(), old, attachments);
    }

    public AddonDocument withRetiring(List<AddonCredentials> left) {
        return new AddonDocument(schema, name, type, created, options, credentials,
                left.stream().map(AddonCredentials::values).toList(), attachments);
    }

    @Override
    public String toString() {
        return "AddonDocument[" + name + ", " + type + ", attached to " + attachments.keySet() + "]";
    }
}
