package health.meridian.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Clinical and personal data must not be kept by browsers or proxies: every response of the FHIR and JSON APIs
 * carries {@code Cache-Control: no-store} (and {@code Pragma: no-cache} for HTTP/1.0 caches). The headers are set
 * before anything else runs, so refusals (401, 404, 413) carry them too. Mapped first in {@code web.xml}.
 */
public class NoStoreFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        chain.doFilter(request, response);
    }
}
