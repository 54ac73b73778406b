package health.meridian.web.security;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page of every 401 the container sends itself: a bearer token MicroProfile JWT refused (expired, forged,
 * not a JWT) is answered by Payara's authentication mechanism before any filter runs, so {@link BearerTokenFilter}
 * never sees it. Declared for 401 in web.xml; it answers as the filter does (RFC 6750 challenge with
 * {@code error="invalid_token"}, OperationOutcome or JSON body).
 */
@WebServlet("/errors/unauthorized")
public class UnauthorizedErrorPage extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        BearerTokenFilter.unauthorized(request, response, uri == null ? request.getRequestURI() : uri.toString());
    }
}
