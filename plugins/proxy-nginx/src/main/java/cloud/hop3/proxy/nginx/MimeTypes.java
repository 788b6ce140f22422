package cloud.hop3.proxy.nginx;

/** The content types nginx gives static files, by extension (the common ones of web sites). */
final class MimeTypes {

    static final String BLOCK = """
                types {
                    text/html html htm;
                    text/css css;
                    text/plain txt;
                    text/xml xml;
                    text/csv csv;
                    text/markdown md;
                    application/javascript js mjs;
                    application/json json map;
                    application/manifest+json webmanifest;
                    application/wasm wasm;
                    application/pdf pdf;
                    application/zip zip;
                    application/gzip gz;
                    image/png png;
                    image/jpeg jpg jpeg;
                    image/gif gif;
                    image/svg+xml svg svgz;
                    image/webp webp;
                    image/avif avif;
                    image/x-icon ico;
                    font/woff woff;
                    font/woff2 woff2;
                    font/ttf ttf;
                    font/otf otf;
                    audio/mpeg mp3;
                    audio/ogg ogg;
                    video/mp4 mp4;
                    video/webm webm;
                }
            """;

    private MimeTypes() {
    }
}
