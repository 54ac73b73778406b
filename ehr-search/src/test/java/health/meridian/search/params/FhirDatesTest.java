package health.meridian.search.params;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FhirDatesTest {

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void partialDatesCoverTheirWholeYearMonthOrDayInUtc() {
        assertThat(FhirDates.span("1985")).hasValue(new FhirDates.Span(ms("1985-01-01T00:00:00Z"),
                ms("1985-12-31T23:59:59.999Z")));
        assertThat(FhirDates.span("1985-06")).hasValue(new FhirDates.Span(ms("1985-06-01T00:00:00Z"),
                ms("1985-06-30T23:59:59.999Z")));
        assertThat(FhirDates.span("1951-09-03")).hasValue(new FhirDates.Span(ms("1951-09-03T00:00:00Z"),
                ms("1951-09-03T23:59:59.999Z")));
    }

    @Test
    void aDateTimeWithAnOffsetIsAnInstantAtItsPrecision() {
        assertThat(FhirDates.span("2024-10-11T22:30:00-05:00")).hasValue(new FhirDates.Span(
                ms("2024-10-12T03:30:00Z"), ms("2024-10-12T03:30:00.999Z")));
        assertThat(FhirDates.span("2024-10-11T22:30:00.5Z")).hasValue(new FhirDates.Span(
                ms("2024-10-11T22:30:00.500Z"), ms("2024-10-11T22:30:00.599Z")));
        assertThat(FhirDates.span("yesterday")).isEmpty();
        assertThat(FhirDates.span("2024-13")).isEmpty();
    }
}
