package health.meridian.web.it.access;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.UUID;

/**
 * A SMART Backend Services client for the ITs (ADR 0031): an RSA key pair made for the test, its public JWKS (what an
 * administrator registers), and the client credentials grant at the realm's token endpoint authenticated by a client
 * assertion (a JWT signed RS384 with the private key: {@code private_key_jwt}), built with java.security only.
 */
final class BackendServiceClient {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    final String clientId;
    private final KeyPair keys;
    private final String kid = UUID.randomUUID().toString();

    BackendServiceClient(String clientId) throws Exception {
        this.clientId = clientId;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.keys = generator.generateKeyPair();
    }

    /** The public keys to register: {"keys": [{kty RSA, n, e, kid, alg RS384, use sig}]}. */
    String jwks() {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"alg\":\"RS384\",\"n\":\""
                + B64.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}";
    }

    /** The token endpoint's answer to a client credentials grant asking for {@code scope}. */
    HttpResponse<String> tokenResponse(String scope) throws Exception {
        String tokenUrl = System.getProperty("meridian.test.oidc.issuer") + "/protocol/openid-connect/token";
        String form = "grant_type=client_credentials&scope=" + AccessFixtures.enc(scope)
                + "&client_assertion_type=" + AccessFixtures.enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + assertion(tokenUrl);
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return AccessFixtures.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** An access token for {@code scope}; fails the test when the realm refuses. */
    String token(String scope) throws Exception {
        HttpResponse<String> r = tokenResponse(scope);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no token for " + clientId + ": " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** The SMART client assertion: iss = sub = client id, aud = token endpoint, 5 minutes at most, a fresh jti. */
    private String assertion(String audience) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS384\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId + "\",\"aud\":\"" + audience
                + "\",\"exp\":" + (now + 240) + ",\"iat\":" + now + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rs384 = Signature.getInstance("SHA384withRSA");
        rs384.initSign(keys.getPrivate());
        rs384.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64.encodeToString(rs384.sign());
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
