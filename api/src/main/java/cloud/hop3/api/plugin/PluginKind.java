package cloud.hop3.api.plugin;

/** The kinds of plugin service, one per contract. */
public enum PluginKind {
    BUILDER("builder"),
    PROCESS_DRIVER("driver"),
    PROXY("proxy"),
    CERTIFICATE_ISSUER("issuer"),
    DATABASE("database"),
    BACKUP_STORE("backup store");

    private final String label;

    PluginKind(String label) {
        this.label = label;
    }

    /** The kind as people read it. */
    public String label() {
        return label;
    }
}
