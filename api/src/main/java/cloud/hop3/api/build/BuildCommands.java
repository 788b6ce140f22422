package cloud.hop3.api.build;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs the external tools of a build ({@code python3 -m venv}, {@code pip}, {@code npm}) for a
 * {@link Builder}, so that every builder streams output, enforces timeouts and reports failures
 * the same way. Implemented by core; builders get it with a static, mandatory DS reference.
 * <p>
 * <b>Callers.</b> Builders, on the build thread. One instance serves concurrent builds of
 * different apps; it keeps no per-run state between calls.
 * <p>
 * <b>What a run is.</b> The command is executed directly, without a shell: {@code command.get(0)}
 * is the program, the rest its arguments. A program name without {@code /} is looked up in the
 * {@code PATH} of {@code env} (not of the platform); a relative name with {@code /} is taken
 * relative to {@code directory}. The process sees exactly {@code env} as its environment, nothing
 * inherited from the platform, has {@code directory} as its working directory, and reads end of
 * file on its standard input, so a tool that asks a question gets no answer instead of hanging.
 * <p>
 * <b>Output.</b> Standard output and standard error are merged in the order the process wrote
 * them. Every line goes to {@link BuildLog#info(String)} as soon as it is complete, from a thread
 * of the implementation (the log is thread-safe), and all of it before {@code run} returns or
 * throws. Lines are decoded as UTF-8 (malformed bytes replaced); very long lines are split.
 * <p>
 * <b>Failures.</b> {@code run} returns normally only when the process exited with status 0. It
 * throws a {@link BuildException} whose message's first line says what happened, naming the
 * command as it would be typed in a shell, and whose following lines are the last lines of
 * output (at most ten), indented. {@link BuildException#output()} holds more of the last lines (at
 * most forty, blank lines left out), so that a builder can find a tool's reason even when a stack
 * trace follows it:
 * <ul>
 * <li>{@code `npm ci` failed with exit status 1}</li>
 * <li>{@code `npm ci` did not finish within 15 minutes and was stopped}</li>
 * <li>{@code Could not start `npm ci`: npm is not on the PATH (/usr/local/bin:/usr/bin:/bin)}</li>
 * </ul>
 * <p>
 * <b>Stopping.</b> On timeout, or when the calling thread is interrupted, the process and every
 * process it started are stopped (SIGTERM, then SIGKILL after a grace period of a few seconds)
 * before {@code run} throws. After an interrupt it throws {@link InterruptedException} and the
 * build ends; a thread interrupted before the call starts nothing.
 */
@ProviderType
public interface BuildCommands {

    /**
     * Runs one command to its end, streaming its output to {@code log}.
     *
     * @param log       where every line of output goes, as {@code info}
     * @param directory the working directory; it must exist
     * @param env       the whole environment of the process
     * @param timeout   how long the command may run before it is stopped; positive
     * @param command   the program and its arguments; not empty
     * @throws BuildException           when the command cannot be started, exits with a status other
     *                                  than 0, or does not finish within {@code timeout}
     * @throws InterruptedException     when the calling thread is interrupted; the command has then
     *                                  been stopped
     * @throws IllegalArgumentException when {@code command} is empty, {@code timeout} is not
     *                                  positive, or a variable name in {@code env} is empty or holds
     *                                  {@code =} or NUL
     */
    void run(BuildLog log, Path directory, Map<String, String> env, Duration timeout, List<String> command)
            throws BuildException, InterruptedException;
}
