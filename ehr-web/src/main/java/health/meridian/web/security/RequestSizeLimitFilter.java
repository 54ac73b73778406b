package health.meridian.web.security;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses oversize request bodies with 413 before they are parsed: by Content-Length up front, and by counting
 * bytes for chunked uploads (the count aborts the read; nothing is stored because parsing never completes).
 */
@WebFilter(urlPatterns = {"/fhir/*", "/api/*"})
public class RequestSizeLimitFilter extends HttpFilter {

    public static final String CODE = "EHR-0140";

    @Inject
    @ConfigProperty(name = "meridian.max-request-bytes", defaultValue = "33554432")
    long maxBytes;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getContentLengthLong() > maxBytes) {
            refuse(request, response);
            return;
        }
        chain.doFilter(new Limited(request, maxBytes), response);
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!swallow(request)) {
            response.setHeader("Connection", "close");
        }
        response.setStatus(413);
        boolean fhir = request.getRequestURI().startsWith(request.getContextPath() + "/fhir");
        response.setContentType(fhir ? "application/fhir+json" : "application/json");
        String message = CODE + " request body larger than " + maxBytes + " bytes";
        response.getWriter().write(fhir
                ? "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"too-costly\","
                        + "\"diagnostics\":\"" + message + "\"}]}"
                : "{\"code\":\"" + CODE + "\",\"message\":\"" + message + "\"}");
    }

    /**
     * Reads and discards the body (up to four times the limit) before answering: a client still sending would
     * otherwise see the connection reset instead of the 413 and its OperationOutcome. Beyond that the connection
     * is closed. Returns whether the whole body was read.
     */
    private boolean swallow(HttpServletRequest request) {
        long budget = 4 * maxBytes;
        byte[] buffer = new byte[64 * 1024];
        try {
            var in = request.getInputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                budget -= n;
                if (budget <= 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Thrown (as an IOException, so every reader propagates it) when a chunked body exceeds the limit. */
    public static class TooLargeException extends IOException {
        public TooLargeException(long max) {
            super(CODE + " request body larger than " + max + " bytes");
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long max;

        Limited(HttpServletRequest request, long max) {
            super(request);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long count;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0 && ++count > max) {
                        throw new TooLargeException(max);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = in.read(buf, off, len);
                    if (n > 0 && (count += n) > max) {
                        throw new TooLargeException(max);
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
