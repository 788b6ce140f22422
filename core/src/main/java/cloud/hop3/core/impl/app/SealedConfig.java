package cloud.hop3.core.impl.app;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

import cloud.hop3.core.impl.secret.SecretBox;

/**
 * The config vars of an app document as stored: sealed by the {@link SecretBox}, each value for its
 * app and variable name, in the app's current config and in every release's snapshot. Documents of
 * schema 1 (before config vars were encrypted) hold plain values; they are read as they are and
 * sealed when next written.
 */
final class SealedConfig {

    /** The first schema whose config values are sealed. */
    static final int SEALED_SCHEMA = 2;

    private SealedConfig() {
    }

    /** {@code doc} as it is written: every config value sealed with the current key. */
    static AppDocument seal(AppDocument doc, SecretBox box) {
        return convert(doc, SEALED_SCHEMA, (context, value) -> box.seal(value, context));
    }

    /**
     * {@code stored} with plain config values.
     *
     * @throws cloud.hop3.core.impl.secret.SealingException when a value does not decrypt
     */
    static AppDocument open(AppDocument stored, SecretBox box) {
        if (stored.schema() < SEALED_SCHEMA) {
            return stored;
        }
        return convert(stored, stored.schema(), (context, value) -> box.open(value, context));
    }

    /** {@link #open} for a document out of a backup, which a key retired since may have sealed. */
    static AppDocument openArchived(AppDocument stored, SecretBox box) {
        if (stored.schema() < SEALED_SCHEMA) {
            return stored;
        }
        return convert(stored, stored.schema(), (context, value) -> box.openArchived(value, context));
    }

    private static AppDocument convert(AppDocument doc, int schema, BiFunction<String, String, String> each) {
        String app = doc.name();
        return new AppDocument(schema, app, doc.created(), doc.domains(), values(app, doc.config(), each),
                doc.formation(), doc.releases().stream().map(r -> new ReleaseDocument(r.number(), r.artifact(),
                        r.revision(), r.builder(), r.reason(), r.created(), values(app, r.config(), each), r.formation(),
                        r.runtime())).toList(),
                doc.stopped(), doc.upstreams(), doc.limits(), doc.driver(), doc.runsOn());
    }

    private static Map<String, String> values(String app, Map<String, String> config, BiFunction<String, String, String> each) {
        Map<String, String> result = new TreeMap<>();
        config.forEach((name, value) -> result.put(name, each.apply("app " + app + " config var " + name, value)));
        return result;
    }
}
