package cloud.hop3.api.backup;

import java.util.regex.Pattern;

/**
 * The id of a backup, validated in this one place. It names the backup's directory or snapshot in
 * a store and is typed by users ({@code backup:restore <id>}), so it is plain:
 * {@code [a-z0-9][a-z0-9.-]{0,99}}, for example {@code shop-20261205t170000z-3f2a}.
 */
public final class BackupId implements Comparable<BackupId> {

    /** The pattern an id must match. */
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9.-]{0,99}");

    private final String value;

    private BackupId(String value) {
        this.value = value;
    }

    /**
     * Validates and wraps an id.
     *
     * @throws IllegalArgumentException with a message a user can act on, when the id is invalid
     */
    public static BackupId of(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("A backup id is required (see backup:list).");
        }
        if (!PATTERN.matcher(id).matches() || id.contains("..")) {
            String shown = (id.length() > 40 ? id.substring(0, 40) + "..." : id).replaceAll("[^\\x20-\\x7e]", "?");
            throw new IllegalArgumentException("Invalid backup id '" + shown
                    + "': ids are lower-case letters, digits, dots and hyphens, as backup:list shows them.");
        }
        return new BackupId(id);
    }

    /** Whether {@code id} is a valid backup id. */
    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches() && !id.contains("..");
    }

    /** The id as given. */
    public String value() {
        return value;
    }

    @Override
    public int compareTo(BackupId other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
