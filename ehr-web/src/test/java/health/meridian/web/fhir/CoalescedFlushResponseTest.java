package health.meridian.web.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class CoalescedFlushResponseTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** Counts what reaches the container's writer: flushes and the characters written. */
    static final class Counting extends Writer {
        final StringWriter text = new StringWriter();
        int flushes;
        boolean closed;

        @Override
        public void write(char[] b, int off, int len) {
            text.write(b, off, len);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class CountingStream extends ServletOutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int flushes;
        boolean closed;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }
    }

    private static HttpServletResponse container(PrintWriter writer, ServletOutputStream stream) {
        return (HttpServletResponse) Proxy.newProxyInstance(CoalescedFlushResponseTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getWriter" -> writer;
                    case "getOutputStream" -> stream;
                    default -> null;
                });
    }

    private static Patient patient() {
        Patient p = new Patient();
        p.setId("p1");
        p.addName().setFamily("de Vries").addGiven("Anna");
        p.setGender(Enumerations.AdministrativeGender.FEMALE);
        p.addIdentifier().setSystem("urn:oid:2.16.840.1.113883.2.4.6.3").setValue("999911120");
        return p;
    }

    @Test
    void hapisPerFieldFlushesNeverReachTheContainerAndTheAnswerIsComplete() throws Exception {
        Counting direct = new Counting();
        FHIR.newJsonParser().encodeResourceToWriter(patient(), direct);
        assertThat(direct.flushes).as("HAPI flushes its writer while encoding").isGreaterThan(3);

        Counting behind = new Counting();
        HttpServletResponse response = new CoalescedFlushResponse(container(new PrintWriter(behind), null));
        Writer writer = response.getWriter();
        FHIR.newJsonParser().encodeResourceToWriter(patient(), writer);
        writer.flush();
        assertThat(behind.flushes).isZero();
        writer.close();
        assertThat(behind.closed).as("close still ends the answer").isTrue();
        assertThat(behind.text.toString()).isEqualTo(FHIR.newJsonParser().encodeResourceToString(patient()));
    }

    @Test
    void theByteStreamWritesThroughAndClosesWithoutFlushing() throws Exception {
        CountingStream behind = new CountingStream();
        HttpServletResponse response = new CoalescedFlushResponse(container(null, behind));
        ServletOutputStream out = response.getOutputStream();
        out.write("{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8));
        out.flush();
        assertThat(behind.flushes).isZero();
        out.close();
        assertThat(behind.closed).isTrue();
        assertThat(behind.bytes.toString(StandardCharsets.UTF_8)).isEqualTo("{\"resourceType\":\"Patient\"}");
        assertThat(response.getOutputStream()).isSameAs(out);
    }
}
