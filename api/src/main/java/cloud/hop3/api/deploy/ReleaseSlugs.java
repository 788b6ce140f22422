package cloud.hop3.api.deploy;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;

/**
 * The slugs of the releases that a {@link cloud.hop3.api.process.ReleaseDriver} puts into
 * service, for the platform's slug endpoint: each release has a token of its own, made when the
 * release is handed to the driver, that fetches that release's slug and nothing else. Implemented
 * by core.
 *
 * @since 1.4
 */
@ProviderType
public interface ReleaseSlugs {

    /**
     * The slug archive (a gzip-compressed tar) of the app's release {@code release}, when
     * {@code token} is that release's token and the archive is kept; empty otherwise, without
     * saying which of the app, the release or the token is missing or wrong. The token is
     * compared in constant time.
     */
    Optional<Path> slug(AppName app, int release, String token);
}
