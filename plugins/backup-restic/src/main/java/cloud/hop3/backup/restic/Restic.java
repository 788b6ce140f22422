package cloud.hop3.backup.restic;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import cloud.hop3.api.backup.BackupException;

/**
 * The machine's {@code restic}, run against one repository. The password reaches restic only as
 * the operator's file ({@code RESTIC_PASSWORD_FILE}): it is in no command line, log line or
 * message of the platform, and no {@code RESTIC_*} variable of the platform's own environment
 * leaks in. A failure is a {@link BackupException} that quotes restic's own words (wrong password,
 * repository locked, SFTP server unreachable). Any thread; each call is its own process.
 */
final class Restic {

    /** What reads restic's standard output while it runs. */
    @FunctionalInterface
    interface Output {
        void read(InputStream in) throws IOException, BackupException, InterruptedException;
    }

    /** Restic's answer when the repository has not been initialised. */
    static final String NO_REPOSITORY = "Is there a repository at the following location?";
    private static final File NO_INPUT = new File("/dev/null");
    private static final int MAX_ERROR = 4000;

    private final String executable;
    private final String repository;
    private final Path passwordFile;
    private final List<String> options;
    private final Path cacheDirectory;
    private final Duration timeout;

    Restic(String executable, String repository, Path passwordFile, String sftpCommand, Path cacheDirectory,
           Duration timeout) {
        this.executable = executable;
        this.repository = repository;
        this.passwordFile = passwordFile;
        this.options = sftpCommand.isBlank() ? List.of() : List.of("-o", "sftp.command=" + sftpCommand.trim());
        this.cacheDirectory = cacheDirectory;
        this.timeout = timeout;
    }

    /** The repository, as the operator configured it. */
    String repository() {
        return repository;
    }

    /** Runs {@code restic <arguments>} in {@code directory} and returns its standard output. */
    byte[] run(Path directory, List<String> arguments) throws BackupException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        run(directory, arguments, in -> in.transferTo(out));
        return out.toByteArray();
    }

    /**
     * Runs {@code restic <arguments>} in {@code directory}, its standard output read by
     * {@code output}. When restic fails, its own words win over what {@code output} made of a
     * stream cut short.
     *
     * @throws BackupException when restic cannot be started, exits non-zero or takes longer than
     *                         the timeout (it is stopped then)
     */
    void run(Path directory, List<String> arguments, Output output) throws BackupException, InterruptedException {
        Process process = start(directory, arguments);
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        Thread errorReader = new Thread(() -> collect(process.getErrorStream(), errors), "restic stderr");
        errorReader.setDaemon(true);
        errorReader.start();
        AtomicBoolean timedOut = new AtomicBoolean();
        process.onExit().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> {
            timedOut.set(true);
            process.destroy();
            return null;
        });
        Exception failure = null;
        try (InputStream in = process.getInputStream()) {
            try {
                output.read(in);
            } catch (IOException | BackupException e) {
                failure = e;
            }
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        int exit;
        try {
            exit = process.waitFor();
            errorReader.join();
        } catch (InterruptedException e) {
            process.destroy();
            throw e;
        }
        if (timedOut.get()) {
            throw new BackupException("restic " + arguments.get(0) + " on " + repository + " took longer than "
                    + timeout.toMinutes() + " minutes and was stopped.");
        }
        if (exit != 0) {
            throw new BackupException("restic " + arguments.get(0) + " on " + repository + " failed (exit " + exit + "): "
                    + words(errors));
        }
        if (failure instanceof BackupException e) {
            throw e;
        }
        if (failure != null) {
            throw new BackupException("restic " + arguments.get(0) + " on " + repository + ": " + failure, failure);
        }
    }

    private Process start(Path directory, List<String> arguments) throws BackupException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(options);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("RESTIC_"));
        env.put("RESTIC_REPOSITORY", repository);
        env.put("RESTIC_PASSWORD_FILE", passwordFile.toString());
        env.put("RESTIC_CACHE_DIR", cacheDirectory.toString());
        env.put("TZ", "UTC");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new BackupException("restic cannot be run (" + e.getMessage() + "): install it (Debian: apt-get install"
                    + " restic) or set 'restic' in cloud.hop3.backup.restic to its path.", e);
        }
    }

    private static void collect(InputStream in, ByteArrayOutputStream errors) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (errors) {
                    if (errors.size() < 64 * 1024) {
                        errors.write(buffer, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; what was read is what restic said
        }
    }

    /** What restic wrote to its standard error, its last lines when long, on one line. */
    private static String words(ByteArrayOutputStream errors) {
        String text;
        synchronized (errors) {
            text = errors.toString(StandardCharsets.UTF_8).strip();
        }
        if (text.isEmpty()) {
            return "restic said nothing";
        }
        if (text.length() > MAX_ERROR) {
            text = "..." + text.substring(text.length() - MAX_ERROR);
        }
        return text.replaceAll("\\s*\\R\\s*", " / ");
    }
}
