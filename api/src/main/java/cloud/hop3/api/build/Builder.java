package cloud.hop3.api.build;

import java.nio.file.Path;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a pushed source tree into a {@link BuildArtifact}. Implemented by builder plugins
 * (static, python, node, ...), each a DS component registered with the service property
 * {@value #NAME_PROPERTY} set to its {@link #name()}.
 * <p>
 * <b>Callers.</b> The core deploy pipeline, one build per app at a time; builds of different
 * apps may run concurrently on one builder instance, so implementations keep no per-build state
 * in fields.
 * <p>
 * <b>Choice.</b> Core asks every registered builder to {@link #detect(Path) detect} and uses the
 * one with the highest priority, unless the app names one ({@code [build].builder}).
 * <p>
 * <b>Idempotence.</b> {@code build} writes only inside {@link BuildRequest#slugDirectory()} (and
 * the per-app cache directory); running it twice on the same source gives an equivalent slug.
 * <p>
 * <b>Going away.</b> When the bundle stops while {@link #build} runs, core interrupts the build
 * thread (the tool that {@link BuildCommands} runs is stopped) and the deploy fails saying so;
 * the app keeps serving its previous release. {@code build} must return or throw promptly once
 * interrupted. Builds queued after that
 * use the builders registered at that time, and fail with the missing builder's name when the
 * app named one.
 */
@ConsumerType
public interface Builder {

    /** Service property holding the builder's name. */
    String NAME_PROPERTY = "hop3.builder";

    /** Short, stable name, as used in {@code [build].builder} and shown by {@code plugin:list}. */
    String name();

    /**
     * Inspects a source tree and says whether this builder can build it. Reads files only: it
     * never runs external processes, and returns within milliseconds.
     *
     * @param source the checked-out source tree (read only)
     * @return the detection with its priority, or empty when this builder does not apply
     */
    Optional<Detection> detect(Path source);

    /**
     * Builds the slug. Progress goes to {@code log} as it happens (it is streamed to the pusher).
     *
     * @throws BuildException with a message for the user when the build fails
     * @throws InterruptedException when the deploy was cancelled or the platform shuts down
     */
    BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException;
}
