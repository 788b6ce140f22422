package cloud.hop3.core.impl.manifest;

import java.util.Objects;

/**
 * A command that the platform runs on a schedule, in the app's environment.
 *
 * @param schedule when it runs
 * @param command  the shell command line
 * @param line     the declaration as the developer wrote it (for listings and messages), for
 *                 example {@code cron: 0 3 * * * ./backup.sh}
 */
public record CronEntry(CronSchedule schedule, String command, String line) {

    public CronEntry {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(line, "line");
        if (command.isBlank()) {
            throw new IllegalArgumentException("A cron entry needs a command");
        }
    }
}
