package cloud.hop3.api.audit;

/**
 * How a change ended: {@code ok}, or {@code failed: <reason>}.
 *
 * @param ok     whether the change was made
 * @param reason why it failed, one line of at most {@value #MAX_REASON} characters; empty when ok
 */
public record AuditResult(boolean ok, String reason) {

    /** The longest reason kept; a longer one is cut. */
    public static final int MAX_REASON = 300;

    private static final AuditResult OK = new AuditResult(true, "");

    public AuditResult {
        if (ok) {
            if (reason != null && !reason.isEmpty()) {
                throw new IllegalArgumentException("A change that succeeded has no failure reason");
            }
            reason = "";
        } else {
            String line = reason == null ? "" : reason.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
            if (line.isEmpty()) {
                line = "no reason given";
            }
            reason = line.length() > MAX_REASON ? line.substring(0, MAX_REASON - 3) + "..." : line;
        }
    }

    /** The change was made. */
    public static AuditResult success() {
        return OK;
    }

    /** The change failed, for this reason (made one line and cut to {@value #MAX_REASON} characters). */
    public static AuditResult failed(String reason) {
        return new AuditResult(false, reason);
    }

    /** Reads what {@link #toString()} wrote. */
    public static AuditResult parse(String text) {
        if ("ok".equals(text)) {
            return OK;
        }
        if (text != null && text.startsWith("failed: ")) {
            return failed(text.substring("failed: ".length()));
        }
        throw new IllegalArgumentException("Not a result: '" + text + "'; expected 'ok' or 'failed: <reason>'");
    }

    /** {@code ok} or {@code failed: <reason>}. */
    @Override
    public String toString() {
        return ok ? "ok" : "failed: " + reason;
    }
}
