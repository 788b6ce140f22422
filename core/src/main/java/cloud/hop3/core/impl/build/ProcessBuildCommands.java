package cloud.hop3.core.impl.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.plugin.support.process.LocalBuildCommands;

/**
 * The platform's {@link BuildCommands} service: build tools run as child processes by the
 * support library's {@link LocalBuildCommands}, the runner that plugin tests use too. Core embeds
 * that package at build time, so no bundle depends on another for it at run time.
 */
@Component(service = BuildCommands.class)
public class ProcessBuildCommands implements BuildCommands {

    private final BuildCommands runner = new LocalBuildCommands();

    @Override
    public void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException, InterruptedException {
        runner.run(log, directory, env, timeout, command);
    }
}
