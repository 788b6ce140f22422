package cloud.hop3.driver.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Names and labels of the objects the driver makes: DNS-1123 labels (lowercase, at most 63
 * characters, starting and ending with a letter or digit); a name that would not fit is cut and
 * ends with a hash of the whole, so two long names stay apart.
 */
final class KubernetesNames {

    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String HOP3 = "hop3";
    static final String APP = "hop3.cloud/app";
    static final String RELEASE = "hop3.cloud/release";
    static final String TYPE = "hop3.cloud/process-type";

    private static final int MAX = 63;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?");

    private KubernetesNames() {
    }

    /** The parts joined by dashes, as a DNS-1123 label. */
    static String name(String... parts) {
        String joined = String.join("-", parts);
        String clean = joined.replace('_', '-');
        if (clean.length() <= MAX && LABEL.matcher(clean).matches() && clean.equals(joined)) {
            return clean;
        }
        String hash = hash(joined);
        String head = clean.substring(0, Math.min(clean.length(), MAX - hash.length() - 1)).replaceAll("-+$", "");
        return head + "-" + hash;
    }

    /** A label value: the text itself when it is one, else a name made of it. */
    static String labelValue(String text) {
        return text.length() <= MAX && LABEL_VALUE.matcher(text).matches() ? text : name(text);
    }

    /** The labels that mark an object as the app's, of a release and a process type (null for none). */
    static Map<String, String> labels(String app, int release, String type) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, HOP3);
        labels.put(APP, labelValue(app));
        labels.put(RELEASE, Integer.toString(release));
        if (type != null) {
            labels.put(TYPE, labelValue(type));
        }
        return labels;
    }

    /** The labels that select the app's objects. */
    static Map<String, String> appSelector(String app) {
        return Map.of(MANAGED_BY, HOP3, APP, labelValue(app));
    }

    /** The labels that select the pods of one process type of the app, whatever their release. */
    static Map<String, String> typeSelector(String app, String type) {
        return Map.of(MANAGED_BY, HOP3, APP, labelValue(app), TYPE, labelValue(type));
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
