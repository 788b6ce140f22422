package cloud.hop3.api.audit;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import cloud.hop3.api.access.Actor;

/**
 * One record of the audit trail, as stored: a change ({@link AuditEntry}), its place in the trail
 * and its link in the hash chain.
 *
 * @param sequence     1 for the first record ever written, then one more for each record
 * @param time         when it was recorded
 * @param entry        who did what to what, and how it ended
 * @param previousHash the {@link #hash} of the record before (64 zeros before the first)
 * @param hash         SHA-256, in lower-case hexadecimal, of the previous hash and this record's
 *                     own content as stored
 */
public record AuditRecord(long sequence, Instant time, AuditEntry entry, String previousHash, String hash) {

    /** A SHA-256 in lower-case hexadecimal. */
    public static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** The previous hash of the first record. */
    public static final String GENESIS = "0".repeat(64);

    public AuditRecord {
        if (sequence < 1) {
            throw new IllegalArgumentException("An audit record's sequence starts at 1, not " + sequence);
        }
        if (time == null || entry == null) {
            throw new IllegalArgumentException("An audit record needs a time and an entry");
        }
        if (previousHash == null || !HASH.matcher(previousHash).matches() || hash == null || !HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("An audit record's hashes are SHA-256 in lower-case hexadecimal");
        }
    }

    /** Who made the change. */
    public Actor actor() {
        return entry.actor();
    }

    /** What was done. */
    public String action() {
        return entry.action();
    }

    /** What it was done to. */
    public String target() {
        return entry.target();
    }

    /** How it ended. */
    public AuditResult result() {
        return entry.result();
    }

    /** Names that say more about it, never values. */
    public List<String> details() {
        return entry.details();
    }
}
