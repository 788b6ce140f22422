package cloud.hop3.core.impl.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.isolation.OpenPaths;
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
        if (!user.isolated()) {
            new LocalBuildCommands(user::wrap).run(log, directory, env, timeout, command);
            return;
        }
        Map<String, String> open = new LinkedHashMap<>(env);
        if (env.containsKey("PATH")) {
            open.put("PATH", OpenPaths.searchPath(env.get("PATH")));
        }
        new LocalBuildCommands(user::wrap).run(log, directory, open, timeout, reachable(command, open.getOrDefault("PATH", ""), log));
    }

    /**
     * The command with a program the app's user may run: a builder finds its tools on the
     * platform's search path, which may name one in a directory closed to other users (a version
     * manager's shims in the operator's home); the same name is then taken from the open part of
     * the search path, and the build log says so. Nothing found there fails the build with the way out.
     */
    static List<String> reachable(List<String> command, String openPath, BuildLog log) throws BuildException {
        if (command.isEmpty()) {
            return command;
        }
        Path program = Path.of(command.get(0));
        if (!program.isAbsolute() || OpenPaths.runnable(program)) {
            return command;
        }
        String name = program.getFileName().toString();
        Path other = OpenPaths.locate(name, openPath).orElseThrow(() -> new BuildException(program + " is in a directory"
                + " that the app's user cannot enter, and no other " + name + " is on the search path (" + openPath
                + "); install " + name + " where every user can run it (such as /usr/bin), or set the builder's"
                + " search path to a directory open to others."));
        log.info(program + " is closed to the app's user; using " + other);
        List<String> argv = new ArrayList<>(command);
        argv.set(0, other.toString());
        return argv;
    }
}
