package cloud.hop3.core.impl.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.plugin.support.process.LocalBuildCommands;

/**
 * The platform's {@link BuildCommands} service: build tools run as child processes by the
 * support library's {@link LocalBuildCommands}, the runner that plugin tests use too. Core embeds
 * that package at build time, so no bundle depends on another for it at run time.
 * <p>
 * A build's tools run as the user of the app being built: the deploy pipeline runs the builder
 * under {@link AppUsers#building}, on the thread where the contract says builders call this
 * service. A call from anywhere else, where apps are isolated, runs nothing: a tool never runs
 * with the platform's rights by mistake.
 */
@Component(service = BuildCommands.class)
public class ProcessBuildCommands implements BuildCommands {

    @Reference
    private AppUsers users;

    /** For DS. */
    public ProcessBuildCommands() {
    }

    /** For tests: builds of the apps of {@code users}. */
    public ProcessBuildCommands(AppUsers users) {
        this.users = users;
    }

    @Override
    public void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException, InterruptedException {
        AppUser user = users.currentBuild().orElseThrow(() -> new BuildException("Build commands run only during"
                + " a build, as the app's user; `" + String.join(" ", command) + "` was called outside one."));
        new LocalBuildCommands(user::wrap).run(log, directory, env, timeout, command);
    }
}
