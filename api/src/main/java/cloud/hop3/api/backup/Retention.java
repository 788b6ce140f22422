package cloud.hop3.api.backup;

/**
 * Which of an app's good backups to keep after each new good one, as restic's {@code forget}
 * counts them: the last {@code last}, and the newest of each of the last {@code daily} days,
 * {@code weekly} weeks and {@code monthly} months (UTC). A backup kept by any rule is kept; the
 * newest good backup is always kept, whatever the counts. All zero means keep everything.
 */
public record Retention(int last, int daily, int weekly, int monthly) {

    /** Keep every backup. */
    public static final Retention ALL = new Retention(0, 0, 0, 0);

    public Retention {
        for (int n : new int[] {last, daily, weekly, monthly}) {
            if (n < 0 || n > 10_000) {
                throw new IllegalArgumentException("A --keep-* count is between 0 and 10000.");
            }
        }
    }

    /** Whether this keeps every backup. */
    public boolean keepsAll() {
        return last == 0 && daily == 0 && weekly == 0 && monthly == 0;
    }

    @Override
    public String toString() {
        return keepsAll() ? "keep all"
                : "keep last " + last + ", daily " + daily + ", weekly " + weekly + ", monthly " + monthly;
    }
}
