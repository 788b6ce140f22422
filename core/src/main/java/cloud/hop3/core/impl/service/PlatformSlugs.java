package cloud.hop3.core.impl.service;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.deploy.ReleaseSlugs;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.deploy.SlugArchives;

/** The slugs of releases handed to a driver that takes whole releases, each behind its release's token. */
@Component(service = ReleaseSlugs.class)
public class PlatformSlugs implements ReleaseSlugs {

    @Reference
    private AppCatalog catalog;

    /** For DS. */
    public PlatformSlugs() {
    }

    /** For tests. */
    public PlatformSlugs(AppCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Optional<Path> slug(AppName app, int release, String token) {
        if (release < 1 || catalog.find(app).isEmpty()) {
            // the token is hashed anyway, so that an answer takes as long for an app that does not exist
            SlugArchivesTiming.hash(token);
            return Optional.empty();
        }
        return new SlugArchives(catalog).open(app, release, token);
    }

    /** Hashes a token the way a check does. */
    private static final class SlugArchivesTiming {
        static void hash(String token) {
            try {
                java.security.MessageDigest.getInstance("SHA-256").digest(String.valueOf(token)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
