package cloud.hop3.api.audit;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The audit trail: an append-only list of records, each chained to the one before by a SHA-256
 * hash, so that an edited, inserted or removed record is found by {@link #verify()}. Old records
 * are removed whole, from the oldest, after the retention period, keeping the chain verifiable.
 */
@ProviderType
public interface AuditService {

    /**
     * Appends a record of this change and makes it durable before returning.
     *
     * @return the record as stored
     * @throws java.io.UncheckedIOException when the trail cannot be written
     */
    AuditRecord record(AuditEntry entry);

    /** The records that match the filter, oldest first. */
    List<AuditRecord> list(AuditFilter filter);

    /** Checks the whole trail: the hash chain, the sequence, and that no line is cut. */
    AuditVerification verify();
}
