package cloud.hop3.api.build;

import java.nio.file.Path;

/**
 * The result of a build: a self-contained slug directory and how to run it.
 *
 * @param slug    the slug directory (the request's slug directory)
 * @param runtime processes, environment and static paths of the slug
 */
public record BuildArtifact(Path slug, RuntimeSpec runtime) {
}
