package cloud.hop3.api.build;

/**
 * A URL prefix served as files from a directory of the slug.
 *
 * @param urlPrefix starts with {@code /}; {@code /} serves the whole site
 * @param directory relative to the slug, never leaving it
 */
public record StaticMapping(String urlPrefix, String directory) {

    public StaticMapping {
        if (!urlPrefix.startsWith("/")) {
            throw new IllegalArgumentException("A static URL prefix starts with '/': " + urlPrefix);
        }
        if (directory.startsWith("/") || directory.equals("..") || directory.startsWith("../")
                || directory.contains("/../") || directory.endsWith("/..")) {
            throw new IllegalArgumentException("A static directory stays inside the app: " + directory);
        }
    }
}
