package cloud.hop3.plugin.support.build;

import java.util.Map;

import cloud.hop3.api.build.BuildArtifact;
import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;

/**
 * What the builders that run the server's build tools (pip, npm, go, Maven, Composer, Bundler)
 * have in common: a name, the {@link BuildCommands} service that runs the tools, the platform's
 * environment that their tools' environments are made from ({@link BuildEnvironment}), and the
 * start of every build: the step line in the build log and the build's {@link Deadline}. A
 * subclass, the DS component, says which apps it builds and how.
 */
public abstract class ToolBuilder implements Builder {

    /** Runs the build's tools. */
    protected final BuildCommands commands;
    /** The platform's environment, which the tools' environments take a few variables of. */
    protected final Map<String, String> platform;
    private final String name;

    protected ToolBuilder(String name, BuildCommands commands, Map<String, String> platform) {
        this.name = name;
        this.commands = commands;
        this.platform = Map.copyOf(platform);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final BuildArtifact build(BuildRequest request, BuildLog log) throws BuildException, InterruptedException {
        log.step("Building with " + name);
        return build(request, Deadline.after(request.timeout()), log);
    }

    /**
     * Builds the app of {@code request}, each step within {@code deadline}.
     *
     * @see Builder#build(BuildRequest, BuildLog)
     */
    protected abstract BuildArtifact build(BuildRequest request, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException;
}
