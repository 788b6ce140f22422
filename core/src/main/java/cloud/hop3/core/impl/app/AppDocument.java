package cloud.hop3.core.impl.app;

import java.time.Instant;
import java.util.List;

/**
 * An app as stored in {@code apps/<app>/app.json}.
 *
 * @param schema  format version of this document
 * @param name    the app's name
 * @param created when it was created
 * @param domains extra host names it answers to
 */
record AppDocument(int schema, String name, Instant created, List<String> domains) {

    static final int SCHEMA = 1;

    AppDocument {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }
}
