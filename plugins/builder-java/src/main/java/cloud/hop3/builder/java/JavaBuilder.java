package cloud.hop3.builder.java;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import cloud.hop3.api.build.BuildCommands;
import cloud.hop3.api.build.BuildException;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.build.BuildRequest;
import cloud.hop3.api.build.Builder;
import cloud.hop3.builder.java.JavaProject.Tool;
import cloud.hop3.plugin.support.build.BuildEnvironment;
import cloud.hop3.plugin.support.build.Deadline;
import cloud.hop3.plugin.support.build.ShellWords;
import cloud.hop3.plugin.support.build.ToolBuilder;
import cloud.hop3.plugin.support.build.ToolFailure;

/**
 * Builds Java apps with the JDK of the machine ({@link JavaHome}). A {@code pom.xml} makes a
 * Maven build, {@code build.gradle(.kts)} a Gradle one through the app's wrapper; the command is
 * {@link BuildCommandLine}'s, run through {@link BuildCommands} in the environment
 * {@link JavaEnvironment} describes. Maven's local repository and Gradle's caches are in the app's
 * cache directory, so a rebuild with the same dependencies downloads nothing; the build log says
 * how much each build downloaded ({@link RepositorySnapshot}). Then, unless the app declares its
 * own web process, the jar that the build made ({@link RunnableJar}) is the default web process:
 * {@code java $JAVA_OPTS -jar <jar>}, with {@code -Dserver.port=$PORT} for a Spring Boot jar.
 */
@Component(service = Builder.class, property = Builder.NAME_PROPERTY + "=" + JavaBuilder.NAME,
        configurationPid = JavaBuilder.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JavaBuilder.Config.class)
public class JavaBuilder extends ToolBuilder<JavaBuilder.Config> {

    static final String NAME = "java";
    static final String PID = "cloud.hop3.builder.java";

    @ObjectClassDefinition(id = PID, name = "Hop3 Java builder",
            description = "Builds Java apps with Maven or the app's Gradle wrapper, and runs the jar they make.")
    public @interface Config {

        @AttributeDefinition(name = "Priority",
                description = "Detection priority, a plain number, of an app that has pom.xml, build.gradle or"
                        + " build.gradle.kts. The builder with the highest priority builds the app; the default is"
                        + " above the 100 of package.json, which Java apps often carry for their front-end assets.")
        int priority() default 110;

        @AttributeDefinition(name = "Maven",
                description = "The Maven command for apps without a Maven wrapper (mvnw): a name looked up on the"
                        + " search path, or an absolute path.")
        String mvn() default "mvn";

        @AttributeDefinition(name = "Java home",
                description = "Directory of the JDK that builds and runs apps. Empty means the JAVA_HOME of the Hop3"
                        + " process, else the JDK of the java command on the search path.")
        String javaHome() default "";

        @AttributeDefinition(name = "Search path",
                description = "Directories, separated by colons, where mvn, java and the programs that builds start"
                        + " are looked up (after the JDK's bin directory). Empty means the PATH of the Hop3 process.")
        String path() default "";

        @AttributeDefinition(name = "Maven settings",
                description = "Absolute path of a Maven settings.xml given to every Maven build (-s), for example"
                        + " with a mirror inside your network. Empty means Maven's own: the settings.xml in the .m2"
                        + " directory of the user Hop3 runs as, if there is one.")
        String mavenSettings() default "";

        @AttributeDefinition(name = "Maven JVM options",
                description = "MAVEN_OPTS of Maven builds, for apps that set no MAVEN_OPTS config var. The default"
                        + " keeps the JVM to its quick first compiler, which makes the short builds of small apps"
                        + " two to three times faster on a busy machine; empty means Maven's own defaults.")
        String mavenOpts() default "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

        @AttributeDefinition(name = "Build timeout", min = "1",
                description = "Longest time, in minutes, that Maven or Gradle may take; after that it is stopped and"
                        + " the build fails. The build's own time limit applies when it is shorter.")
        int buildTimeoutMinutes() default 15;
    }

    @Activate
    public JavaBuilder(Config config, @Reference BuildCommands commands) {
        this(config, commands, System.getenv());
    }

    JavaBuilder(Config config, BuildCommands commands, Map<String, String> platform) {
        super(NAME, PID, config, commands, platform,
                Detector.of(source -> JavaProject.of(source).map(JavaProject::reason), Config::priority));
    }

    @Override
    protected Built build(BuildRequest request, Path slug, Path cache, Deadline deadline, BuildLog log)
            throws BuildException, InterruptedException {
        JavaProject project = JavaProject.of(slug).orElseThrow(() -> new BuildException("The app has no pom.xml,"
                + " build.gradle or build.gradle.kts; add one to build it as a Java app."));
        JavaHome java = JavaHome.locate(config.javaHome(), platform, BuildEnvironment.searchPath(platform, config.path()));
        java.requireCompiler();
        log.info("Java " + java.version().orElse("(version unknown)") + " in " + java.home() + ", chosen by "
                + java.chosenBy());
        Map<String, String> env = JavaEnvironment.of(platform, config.path(), java, config.mavenOpts(),
                request.env(), cache);
        BuildCommandLine line;
        Path repository;
        if (project.tool() == Tool.MAVEN) {
            repository = JavaEnvironment.mavenRepository(cache);
            line = BuildCommandLine.maven(project, slug, config.mvn(), repository, config.mavenSettings());
        } else {
            if (!project.wrapper()) {
                throw new BuildException("The app has " + project.buildFile() + " but no Gradle wrapper (gradlew),"
                        + " and this server runs no Gradle of its own. Add the wrapper (gradle wrapper), commit"
                        + " gradlew and gradle/wrapper/, and push again.");
            }
            repository = JavaEnvironment.gradleRepository(cache);
            line = BuildCommandLine.gradle(slug);
        }
        RepositorySnapshot before = snapshot(repository);
        log.info("Running " + line.shown());
        run(new PlainLog(log), slug, env, deadline, Duration.ofMinutes(config.buildTimeoutMinutes()), line.command(),
                e -> explain(e, project, slug));
        RepositorySnapshot after = snapshot(repository);
        RepositorySnapshot.Downloads downloads = after.since(before);
        log.info(downloads.files() == 0
                ? project.tool().title + " downloaded nothing: the app's cache had all it needed (" + after.size()
                        + " artifacts)"
                : project.tool().title + " downloaded " + downloads.describe() + " into the app's cache; builds with"
                        + " the same dependencies reuse them");
        Map<String, String> processes = defaultProcesses(project, slug, log);
        return new Built(processes, Map.of("JAVA_HOME", java.home().toString()), List.of(),
                "Java app with " + project.tool().title);
    }

    /** Maven or Gradle's failure, with the reasons they printed, without their colours. */
    private static BuildException explain(BuildException e, JavaProject project, Path slug) {
        String message = BuildToolErrors.plain(e.getMessage());
        if (message.startsWith("Could not start") && project.tool() == Tool.MAVEN && !project.wrapper()) {
            return new BuildException("Maven is not installed on this server (Debian: apt-get install maven) and"
                    + " the app has no Maven wrapper (mvnw). " + message, e);
        }
        var reasons = BuildToolErrors.reasons(e.output(), slug.toString());
        if (reasons.isEmpty()) {
            return new BuildException(message, e.output().stream().map(BuildToolErrors::plain).toList());
        }
        return ToolFailure.explained(e, project.tool().title + " could not build the app", reasons);
    }

    /**
     * The web process that runs the built jar, unless the app declares its own. When the app
     * declares other processes, a missing or ambiguous jar is not an error: they say what runs.
     */
    static Map<String, String> defaultProcesses(JavaProject project, Path slug, BuildLog log) throws BuildException {
        Set<String> declared = DeclaredProcesses.of(slug);
        if (declared.contains("web")) {
            log.info("The app declares its web process; no default one is needed");
            return Map.of();
        }
        RunnableJar jar;
        try {
            jar = RunnableJar.find(slug, project.tool().jarDirectory, project.tool().title);
        } catch (BuildException e) {
            if (declared.isEmpty()) {
                throw e;
            }
            log.info("No default web process: " + e.getMessage());
            return Map.of();
        }
        log.info("Runnable jar: " + jar.path() + " (" + (jar.springBoot() ? "Spring Boot, " : "") + "main class "
                + jar.mainClass() + ")");
        return defaultWeb(webCommand(jar), "; the app must listen on $PORT", log);
    }

    /** {@code java $JAVA_OPTS -jar <jar>} with the JDK of the build, and Spring Boot's port. */
    static String webCommand(RunnableJar jar) {
        return "\"$JAVA_HOME/bin/java\" " + (jar.springBoot() ? "-Dserver.port=$PORT " : "") + "$JAVA_OPTS -jar "
                + ShellWords.quoted(jar.path());
    }

    private static RepositorySnapshot snapshot(Path repository) throws BuildException {
        try {
            return RepositorySnapshot.of(repository);
        } catch (IOException e) {
            throw new BuildException("The app's dependency cache " + repository + " cannot be read: " + e.getMessage()
                    + "; check that the Hop3 user can read and write there.", e);
        }
    }
}
