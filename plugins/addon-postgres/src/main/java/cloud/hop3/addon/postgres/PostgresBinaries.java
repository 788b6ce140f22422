package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.plugin.support.server.ServerProcesses;

/**
 * The machine's PostgreSQL programs, from Debian's packages ({@code /usr/lib/postgresql/<major>/bin}),
 * and the version they are.
 *
 * @param directory the directory of {@code initdb}, {@code postgres}, {@code psql}, {@code pg_dump}...
 * @param version   the version {@code postgres --version} reports ("15.14")
 */
record PostgresBinaries(Path directory, String version) {

    /** Where Debian installs each major version. */
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\) (\\d+(?:\\.\\d+)*)");

    /**
     * The programs in {@code configured}, or, when it is empty, those of the newest major version
     * under {@code root}.
     *
     * @throws AddonException naming the package to install when there are none
     */
    static PostgresBinaries find(String configured, Path root) throws AddonException {
        Path directory;
        if (configured.isBlank()) {
            List<Integer> majors = installedMajors(root);
            if (majors.isEmpty()) {
                throw new AddonException("PostgreSQL is not installed (no " + root + "/<version>/bin/postgres): install it"
                        + " with apt-get install postgresql, or set binDirectory in cloud.hop3.addon.postgres");
            }
            directory = root.resolve(Integer.toString(majors.get(majors.size() - 1))).resolve("bin");
        } else {
            directory = Path.of(configured.strip());
        }
        Path postgres = directory.resolve("postgres");
        if (!Files.isExecutable(postgres)) {
            throw new AddonException("There is no PostgreSQL server program " + postgres + ": install PostgreSQL"
                    + " (apt-get install postgresql) or correct binDirectory in cloud.hop3.addon.postgres");
        }
        try {
            ServerProcesses.Result result = ServerProcesses.run(List.of(postgres.toString(), "--version"), Duration.ofSeconds(30));
            Matcher m = VERSION.matcher(result.output());
            if (result.exit() != 0 || !m.find()) {
                throw new AddonException(postgres + " --version printed no version: " + result.output().strip());
            }
            return new PostgresBinaries(directory, m.group(1));
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new AddonException("Could not run " + postgres + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AddonException("Interrupted while asking " + postgres + " its version", e);
        }
    }

    /**
     * The programs for the cluster in {@code data}: those of the major version that made it
     * (its {@code PG_VERSION}) even when a newer one is installed, since a server of another
     * major version cannot open it and a silent upgrade is how data gets lost. Without a cluster
     * yet, as {@link #find}.
     *
     * @throws AddonException naming the package to install, when the cluster's version is not
     *                        installed or the configured programs are of another version
     */
    static PostgresBinaries forCluster(Path data, String configured, Path root) throws AddonException {
        Path versionFile = data.resolve("PG_VERSION");
        String made;
        try {
            made = Files.exists(versionFile) ? Files.readString(versionFile).strip() : "";
        } catch (IOException e) {
            throw new AddonException("Cannot read " + versionFile + ": " + e.getMessage(), e);
        }
        if (made.isEmpty()) {
            return find(configured, root);
        }
        PostgresBinaries binaries;
        if (configured.isBlank()) {
            Path directory = root.resolve(made).resolve("bin");
            if (!Files.isExecutable(directory.resolve("postgres"))) {
                throw new AddonException("The add-ons' cluster " + data + " was made by PostgreSQL " + made + ", which is"
                        + " not installed (installed: " + installedMajors(root) + "); a newer server cannot open it, and"
                        + " Hop3 does not upgrade it behind your back. Install it again (apt-get install postgresql-"
                        + made + ") or set binDirectory in cloud.hop3.addon.postgres to its programs.");
            }
            binaries = find(directory.toString(), root);
        } else {
            binaries = find(configured, root);
        }
        if (!binaries.major().equals(made)) {
            throw new AddonException("The add-ons' cluster " + data + " was made by PostgreSQL " + made + ", but binDirectory"
                    + " in cloud.hop3.addon.postgres gives PostgreSQL " + binaries.version() + ", which cannot open it;"
                    + " point binDirectory to PostgreSQL " + made + "'s programs.");
        }
        return binaries;
    }

    /** The major versions installed under {@code root}, in ascending order. */
    static List<Integer> installedMajors(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(d -> d.getFileName().toString().matches("\\d{1,3}"))
                    .filter(d -> Files.isExecutable(d.resolve("bin").resolve("postgres")))
                    .map(d -> Integer.parseInt(d.getFileName().toString()))
                    .sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The major version ("15"). */
    String major() {
        return major(version);
    }

    /** The major version of a PostgreSQL version: its first number (10 and later). */
    static String major(String version) {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }

    /** One of the programs. */
    Path program(String name) {
        return directory.resolve(name);
    }
}
