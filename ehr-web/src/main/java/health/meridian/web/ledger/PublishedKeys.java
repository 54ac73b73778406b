package health.meridian.web.ledger;

import health.meridian.infrastructure.persistence.JpaAuditLedger;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /.well-known/meridian-audit-keys} (no login): the Ed25519 public keys that sign audit tree heads, each
 * with its key id and X.509 encoding (base64) and as a JWK (RFC 8037, {@code kty OKP, crv Ed25519}), so that anyone
 * holding an inclusion proof can check its signature — and pin the keys they fetched before.
 */
@WebServlet("/.well-known/meridian-audit-keys")
public class PublishedKeys extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    Keys keys;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        List<Map<String, String>> out = new ArrayList<>();
        keys.all().forEach((id, x509) -> {
            byte[] der = java.util.Base64.getDecoder().decode(x509);
            byte[] raw = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
            Map<String, String> k = new LinkedHashMap<>();
            k.put("kid", id);
            k.put("kty", "OKP");
            k.put("crv", "Ed25519");
            k.put("x", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
            k.put("use", "sig");
            k.put("x509", x509);
            out.add(k);
        });
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "public, max-age=300");
        try (Jsonb jsonb = JsonbBuilder.create()) {
            response.getWriter().write(jsonb.toJson(Map.of("keys", out)));
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The keys registered in the ledger plus this instance's own (it registers itself before its first seal). */
    @jakarta.enterprise.context.ApplicationScoped
    public static class Keys {
        @Inject
        JpaAuditLedger ledger;
        @Inject
        SigningKey key;

        @Transactional
        public Map<String, String> all() {
            ledger.registerKey(key.keyId(), key.publicKeyBase64());
            return ledger.publicKeys();
        }
    }
}
