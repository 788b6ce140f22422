package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Date;
import java.util.Optional;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import cloud.hop3.plugin.support.files.StaticSite;

/**
 * Writes a static file found by {@link StaticSite}: {@code Content-Type} by extension,
 * {@code Last-Modified} with {@code If-Modified-Since} answered by 304, and the body sent from the
 * file by the kernel ({@code sendfile}) without copying it through the heap; over HTTPS, where the
 * bytes must be encrypted, read in chunks of 16 KB.
 */
final class StaticFile {

    private static final int CHUNK_BYTES = 16 * 1024;

    private StaticFile() {
    }

    /**
     * Writes the response.
     *
     * @return the future of its last write; empty when the file could not be opened (it went away)
     */
    /** The file's modification time, to the second, as HTTP dates carry it. */
    private static long lastModified(StaticSite.Found found) {
        return found.attributes().lastModifiedTime().toMillis() / 1000 * 1000;
    }

    /** Whether the client's copy is current ({@code If-Modified-Since}): the answer is then 304. */
    static boolean notModified(StaticSite.Found found, HttpRequest request) {
        String since = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (since == null) {
            return false;
        }
        Date date = DateFormatter.parseHttpDate(since);
        return date != null && lastModified(found) <= date.getTime();
    }

    static Optional<ChannelFuture> write(ChannelHandlerContext ctx, StaticSite.Found found, HttpRequest request,
                                         boolean head, boolean close, boolean http10) {
        long lastModified = lastModified(found);
        if (notModified(found, request)) {
            {
                HttpResponse notModified = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
                headers(notModified.headers(), lastModified, close, http10);
                ctx.write(notModified, ctx.voidPromise());
                return Optional.of(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
            }
        }
        FileChannel file = null;
        Object body = null;
        long length;
        try {
            if (!head) {
                file = FileChannel.open(found.file(), StandardOpenOption.READ);
                length = file.size();
                if (length > 0) {
                    body = ctx.pipeline().get(ChunkedWriteHandler.class) != null
                            // over TLS the bytes must pass through the encryption: read in chunks
                            ? new ChunkedNioFile(file, 0, length, CHUNK_BYTES)
                            : new DefaultFileRegion(file, 0, length);
                }
            } else {
                length = found.attributes().size();
            }
        } catch (IOException | SecurityException e) {
            if (file != null) {
                closeQuietly(file);
            }
            return Optional.empty();
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, ContentTypes.of(found.file().getFileName().toString()));
        headers.set(HttpHeaderNames.CONTENT_LENGTH, length);
        headers(headers, lastModified, close, http10);
        ctx.write(response, ctx.voidPromise());
        if (file != null) {
            if (body != null) {
                ctx.write(body, ctx.voidPromise());
            } else {
                closeQuietly(file);
            }
        }
        return Optional.of(ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    }

    private static void headers(HttpHeaders headers, long lastModified, boolean close, boolean http10) {
        headers.set(HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(lastModified)));
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            // nothing was read from it
        }
    }
}
