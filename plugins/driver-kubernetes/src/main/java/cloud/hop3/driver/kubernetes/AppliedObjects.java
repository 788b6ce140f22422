package cloud.hop3.driver.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver last put into service for an app, kept in the cluster itself: a Secret (it may
 * hold the TLS key) named {@code <app>-applied}, labelled as the app's and
 * {@code hop3.cloud/applied=true}, with the serving objects as YAML. A reconcile recreates from it
 * whatever is missing, also when the platform restarted since the release was applied.
 */
final class AppliedObjects {

    static final String LABEL = "hop3.cloud/applied";
    static final String APP_NAME = "hop3.cloud/app-name";
    private static final String KEY = "objects.yaml";

    private final KubernetesClient client;

    AppliedObjects(KubernetesClient client) {
        this.client = client;
    }

    static String name(String app) {
        return KubernetesNames.name(app, "applied");
    }

    /** Keeps the objects that serve release {@code release} of the app, in its namespace. */
    void remember(String namespace, String app, int release, List<HasMetadata> serving) throws InterruptedException {
        Map<String, String> labels = new LinkedHashMap<>(KubernetesNames.labels(app, release, null));
        labels.put(LABEL, "true");
        KubernetesList list = new KubernetesListBuilder().withItems(serving).build();
        Secret secret = new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName(name(app)).withNamespace(namespace)
                        .withLabels(labels).withAnnotations(Map.of(APP_NAME, app)).build())
                .withType("Opaque").withStringData(Map.of(KEY, client.getKubernetesSerialization().asYaml(list))).build();
        ConflictRetry.apply(client, secret);
    }

    /** The objects last kept for the app, empty when none are. */
    List<HasMetadata> recall(String namespace, String app) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name(app)).get();
        return secret == null ? List.of() : objects(secret);
    }

    /** The kept objects of a Secret written by {@link #remember}. */
    List<HasMetadata> objects(Secret secret) {
        String yaml = secret.getStringData() != null && secret.getStringData().containsKey(KEY) ? secret.getStringData().get(KEY)
                : secret.getData() == null || !secret.getData().containsKey(KEY) ? null
                : new String(java.util.Base64.getDecoder().decode(secret.getData().get(KEY)), java.nio.charset.StandardCharsets.UTF_8);
        if (yaml == null) {
            return List.of();
        }
        KubernetesList list = client.getKubernetesSerialization().unmarshal(yaml, KubernetesList.class);
        return list.getItems() == null ? List.of() : list.getItems();
    }

    /** Keeps the new replica counts of the app's Deployments, by process type. */
    void rescale(String namespace, String app, Map<String, Integer> counts) throws InterruptedException {
        Secret secret = client.secrets().inNamespace(namespace).withName(name(app)).get();
        if (secret == null) {
            return;
        }
        List<HasMetadata> objects = new ArrayList<>(objects(secret));
        Map<String, Integer> byLabel = new LinkedHashMap<>();
        counts.forEach((type, count) -> byLabel.put(KubernetesNames.labelValue(type), count));
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d && d.getMetadata().getLabels() != null) {
                Integer count = byLabel.get(typeOf(d));
                if (count != null) {
                    d.getSpec().setReplicas(count);
                }
            }
        }
        int release = Integer.parseInt(secret.getMetadata().getLabels().getOrDefault(KubernetesNames.RELEASE, "0"));
        remember(namespace, app, release, objects);
    }

    private static String typeOf(Deployment d) {
        return d.getSpec().getTemplate().getMetadata().getLabels().get(KubernetesNames.TYPE);
    }
}
