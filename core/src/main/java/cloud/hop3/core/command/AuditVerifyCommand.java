package cloud.hop3.core.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import cloud.hop3.api.access.Permission;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.audit.AuditVerification;

/** Checks the audit trail's hash chain; a break is an error that names the line and the record. */
@Command(scope = "audit", name = "verify", description = "Checks that every record of the audit trail is there, unchanged and in order, by its hash chain.")
@Service
public class AuditVerifyCommand extends GuardedAction {

    @Reference
    private AuditService audit;

    /** For Karaf. */
    public AuditVerifyCommand() {
    }

    AuditVerifyCommand(AuditService audit) {
        this.audit = audit;
    }

    @Override
    Permission permission() {
        return Permission.ADMINISTER;
    }

    @Override
    Object run() throws Exception {
        AuditVerification v = audit.verify();
        if (!v.intact()) {
            throw new IllegalStateException("The audit trail does not verify: " + v.problem() + ".");
        }
        System.out.println("The audit trail verifies: " + v.records() + (v.records() == 1 ? " record" : " records")
                + (v.firstKept() > 1 ? " from record " + v.firstKept() + " on (older ones were removed by retention,"
                + " their last hash kept)" : "") + ", each chained to the one before.");
        return null;
    }
}
