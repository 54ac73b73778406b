package health.meridian.web.smart;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** What the patient picker page shows of a Patient, and that nothing in it can become markup (ADR 0032). */
class SmartPickerServletTest {

    @Test
    void aPatientIsShownByTextOrGivenAndFamilyName() {
        assertThat(SmartPickerServlet.nameOf(Json.createReader(new StringReader(
                "{\"name\":[{\"given\":[\"Anna\",\"Maria\"],\"family\":\"Jansen\"}]}")).readObject()))
                .isEqualTo("Anna Maria Jansen");
        assertThat(SmartPickerServlet.nameOf(Json.createReader(new StringReader(
                "{\"name\":[{\"text\":\"A. Jansen\",\"family\":\"Jansen\"}]}")).readObject())).isEqualTo("A. Jansen");
        assertThat(SmartPickerServlet.nameOf(Json.createObjectBuilder().build())).isEqualTo("(no name)");
    }

    @Test
    void textIsEscaped() {
        assertThat(SmartPickerServlet.esc("<script>alert('x')</script>\"&"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;");
        assertThat(SmartPickerServlet.esc(null)).isEmpty();
    }
}
