package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountCapTest {

    @Test
    void aCountAboveTheMaximumBecomesTheMaximum() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setParameters(Map.of("_count", new String[] {"5000"}, "family", new String[] {"x"}));
        new CountCap().capCount(request);
        assertThat(request.getParameters().get("_count")).containsExactly("1000");
        assertThat(request.getParameters().get("family")).containsExactly("x");
    }

    @Test
    void aNegativeCountIsRefused() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.setParameters(Map.of("_count", new String[] {"-1"}));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CountCap().capCount(request))
                .hasMessageContaining("EHR-0202");
    }

    @Test
    void otherCountsAreLeftAlone() {
        for (String count : new String[] {"1000", "0", "x", "99999999999999999999"}) {
            SystemRequestDetails request = new SystemRequestDetails();
            request.setParameters(Map.of("_count", new String[] {count}));
            new CountCap().capCount(request);
            assertThat(request.getParameters().get("_count")).as(count)
                    .containsExactly(count.length() > 9 ? "1000" : count);
        }
    }
}
