package cloud.hop3.driver.kubernetes;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the driver places and builds an app's objects.
 *
 * @param namespace     the namespace of every app, when {@code perApp} is false
 * @param perApp        whether each app gets a namespace of its own, {@code hop3-<app>}
 * @param ingressClass  the ingress class of the apps' Ingresses, empty for the cluster's default
 * @param images        runtime name to the image its processes run in
 * @param initImage     the image that fetches and unpacks the slug (it needs sh, curl and tar)
 * @param poll          how often a rollout's progress is read
 */
record DriverSettings(String namespace, boolean perApp, String ingressClass, Map<String, String> images,
                      String initImage, Duration poll) {

    /** The stock runtime images, by runtime name. */
    static final Map<String, String> STOCK_IMAGES = Map.of(
            "python", "python:3.12-slim",
            "node", "node:22-slim",
            "java", "eclipse-temurin:21-jre",
            "ruby", "ruby:3.3-slim",
            "php", "php:8.3-cli",
            "go", "debian:bookworm-slim",
            "static", "debian:bookworm-slim",
            "generic", "debian:bookworm-slim");

    static final String STOCK_INIT_IMAGE = "curlimages/curl:8.11.1";

    DriverSettings {
        images = Map.copyOf(images);
    }

    /** The stock settings with one namespace, {@code hop3}. */
    static DriverSettings defaults() {
        return new DriverSettings("hop3", false, "", STOCK_IMAGES, STOCK_INIT_IMAGE, Duration.ofSeconds(1));
    }

    /** The stock images with these {@code runtime=image} entries over them. */
    static Map<String, String> images(String[] entries) {
        Map<String, String> images = new LinkedHashMap<>(STOCK_IMAGES);
        for (String entry : entries == null ? new String[0] : entries) {
            int eq = entry.indexOf('=');
            if (eq < 1 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("A runtime image is runtime=image, such as python=python:3.12-slim, not '"
                        + entry + "'.");
            }
            images.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return images;
    }

    /** The namespace of an app's objects. */
    String namespaceOf(String app) {
        return perApp ? KubernetesNames.name("hop3", app) : namespace;
    }

    /** The image of a runtime, the generic one for a runtime without its own. */
    String imageOf(String runtime) {
        return images.getOrDefault(runtime, images.getOrDefault("generic", STOCK_IMAGES.get("generic")));
    }
}
