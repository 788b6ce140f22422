package cloud.hop3.api.audit;

import java.util.Optional;

/**
 * What {@link AuditService#verify} found.
 *
 * @param records    how many records it checked
 * @param firstKept  the sequence of the first record in the trail (records before it were removed
 *                   by retention, their last hash kept in a checkpoint); 1 when none were removed
 * @param brokenLine the line of the trail file where the chain first breaks, if it does (1 is the
 *                   first line)
 * @param problem    what is wrong at that line, naming the record, for people; empty when intact
 */
public record AuditVerification(long records, long firstKept, Optional<Long> brokenLine, String problem) {

    public AuditVerification {
        brokenLine = brokenLine == null ? Optional.empty() : brokenLine;
        problem = problem == null ? "" : problem;
        if (brokenLine.isPresent() == problem.isEmpty()) {
            throw new IllegalArgumentException("A broken trail says what is wrong, an intact one does not");
        }
    }

    /** Whether every record is there, unchanged, in order. */
    public boolean intact() {
        return brokenLine.isEmpty();
    }
}
