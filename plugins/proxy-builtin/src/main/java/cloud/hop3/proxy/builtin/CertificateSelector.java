package cloud.hop3.proxy.builtin;

import java.security.GeneralSecurityException;
import java.util.List;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The first handler of an HTTPS connection: reads the server name of the client's hello (SNI)
 * and replaces itself with a TLS handler for that host's certificate, taken from the routing
 * that serves. A name no route has a certificate for, or no name at all, fails the handshake:
 * the client gets an {@code unrecognized_name} alert (a {@code handshake_failure} without a
 * name), and the proxy logs it at debug level only, since any scanner on the internet does it.
 * <p>
 * One instance per connection, on its event loop.
 */
final class CertificateSelector extends SniHandler {

    /** A server context without any certificate: it can only refuse. */
    private static final SSLContext REFUSING = refusing();

    private static final SNIMatcher NO_NAME_MATCHES = new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
        @Override
        public boolean matches(SNIServerName serverName) {
            return false;
        }
    };

    /** The server name the client sent, as selected. */
    private String serverName;

    CertificateSelector(Supplier<Routing> routing, long handshakeTimeoutMillis) {
        super(name -> routing.get().certificate(name), handshakeTimeoutMillis);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext context) throws Exception {
        serverName = hostname;
        super.replaceHandler(ctx, hostname, context);
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        if (context == null) {
            SSLEngine engine = REFUSING.createSSLEngine();
            engine.setUseClientMode(false);
            matchOnly(engine, NO_NAME_MATCHES);
            return new SslHandler(engine);
        }
        SslHandler handler = super.newSslHandler(context, allocator);
        // with a matcher the JDK also checks that a resumed session was made for this very name:
        // without one it would resume, under one host's name, a session of another host
        String expected = serverName;
        matchOnly(handler.engine(), new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                return name instanceof SNIHostName host && host.getAsciiName().equalsIgnoreCase(expected);
            }
        });
        return handler;
    }

    private static void matchOnly(SSLEngine engine, SNIMatcher matcher) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setSNIMatchers(List.of(matcher));
        engine.setSSLParameters(parameters);
    }

    private static SSLContext refusing() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no TLS implementation", e);
        }
    }
}
