package cloud.hop3.rest;

import java.util.function.Supplier;

import cloud.hop3.api.access.AccessService;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.deploy.DeployLogs;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.deploy.ReleaseSlugs;
import cloud.hop3.api.event.EventLog;
import cloud.hop3.api.metrics.MetricsService;
import cloud.hop3.api.plugin.PluginRegistry;
import cloud.hop3.api.tls.CertificateService;

/**
 * The api services the resources call, as the servlet's component holds them: those that may
 * come and go are asked for at each call, and a call that needs one that is not there is
 * answered 503.
 */
record Services(Supplier<AccessService> access, Supplier<AuditService> audit, Supplier<AppService> apps,
                Supplier<DeployService> deploys, Supplier<CertificateService> certificates, Supplier<AddonService> addons,
                Supplier<BackupService> backups, Supplier<PluginRegistry> plugins,
                Supplier<EventLog> events, Supplier<DeployLogs> deployLog,
                Supplier<MetricsService> metrics, Supplier<ReleaseSlugs> slugs) {

    /** Services without release slugs. */
    Services(Supplier<AccessService> access, Supplier<AuditService> audit, Supplier<AppService> apps,
             Supplier<DeployService> deploys, Supplier<CertificateService> certificates, Supplier<AddonService> addons,
             Supplier<BackupService> backups, Supplier<PluginRegistry> plugins, Supplier<EventLog> events,
             Supplier<DeployLogs> deployLog, Supplier<MetricsService> metrics) {
        this(access, audit, apps, deploys, certificates, addons, backups, plugins, events, deployLog, metrics, () -> null);
    }

    ReleaseSlugs releaseSlugs() {
        return need(slugs, "release slug");
    }

    AccessService accessService() {
        return need(access, "authorization");
    }

    AuditService auditService() {
        return need(audit, "audit trail");
    }

    AppService appService() {
        return need(apps, "app");
    }

    DeployService deployService() {
        return need(deploys, "deploy");
    }

    CertificateService certificateService() {
        return need(certificates, "certificate");
    }

    AddonService addonService() {
        return need(addons, "add-on");
    }

    BackupService backupService() {
        return need(backups, "backup");
    }

    PluginRegistry pluginRegistry() {
        return need(plugins, "plugin");
    }

    EventLog eventLog() {
        return need(events, "event log");
    }

    DeployLogs deployLogs() {
        return need(deployLog, "deploy log");
    }

    MetricsService metricsService() {
        return need(metrics, "metrics");
    }

    private static <T> T need(Supplier<T> supplier, String what) {
        T service = supplier.get();
        if (service == null) {
            throw new Problem(503, "service-unavailable", "The platform's " + what + " service is not running; try again"
                    + " in a moment, or see plugin:list and the platform's log.");
        }
        return service;
    }
}
