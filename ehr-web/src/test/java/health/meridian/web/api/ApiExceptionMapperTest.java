package health.meridian.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import health.meridian.web.fhir.ExceptionTranslationInterceptor;
import org.junit.jupiter.api.Test;

/** What a client is told when something fails: coded errors as written, anything unexpected without its details. */
class ApiExceptionMapperTest {

    private static final String LEAK = "ERROR: function audit_chain_verify() does not exist; Call: SELECT intact FROM x";

    @Test
    void anUnexpectedFailureIsA500WithAnIncidentIdAndNoInternals() {
        ApiExceptionMapper.Answer r = ApiExceptionMapper.answer(new IllegalStateException(LEAK));
        assertThat(r.status()).isEqualTo(500);
        ApiExceptionMapper.ApiError body = r.error();
        assertThat(body.code()).isEqualTo("EHR-0500");
        assertThat(body.message()).contains("incident").doesNotContain("audit_chain_verify").doesNotContain("SELECT");
    }

    @Test
    void theFrameworksOwnRefusalsAreJsonWithACode() {
        assertThat(ApiExceptionMapper.framework(415).code()).isEqualTo("EHR-0193");
        assertThat(ApiExceptionMapper.framework(404).message()).startsWith("EHR-0190");
        assertThat(ApiExceptionMapper.framework(405).code()).isEqualTo("EHR-0191");
        assertThat(ApiExceptionMapper.framework(406).code()).isEqualTo("EHR-0192");
        assertThat(ApiExceptionMapper.framework(403)).as("other statuses are left as the framework made them").isNull();
        assertThat(ApiExceptionMapper.framework(303)).isNull();
    }

    @Test
    void codedErrorsKeepTheirStatusAndMessage() {
        ApiExceptionMapper.Answer r = ApiExceptionMapper.answer(new IllegalArgumentException("EHR-0916 first must be 0"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error().message()).isEqualTo("EHR-0916 first must be 0");
        assertThat(ApiExceptionMapper.answer(new RuntimeException("EHR-0840 search index unreachable")).error()
                .message()).as("a coded 500 keeps its own words").isEqualTo("EHR-0840 search index unreachable");
    }

    @Test
    void theFhirApiHidesAnUnexpectedFailureToo() {
        ExceptionTranslationInterceptor t = new ExceptionTranslationInterceptor();
        BaseServerResponseException wrapped = t.translate(null,
                new InternalErrorException("HAPI-0389: Failed to call access method", new RuntimeException(LEAK)), null);
        assertThat(wrapped.getStatusCode()).isEqualTo(500);
        assertThat(wrapped.getMessage()).startsWith("EHR-0500").contains("incident").doesNotContain("audit_chain_verify");
        assertThat(t.translate(null, new InternalErrorException("wrap", new IllegalArgumentException("EHR-0401 bad")),
                null)).isInstanceOf(InvalidRequestException.class);
    }
}
