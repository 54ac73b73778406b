package health.meridian.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    private static String field(String value) {
        StringBuilder out = new StringBuilder();
        CopyText.field(out, value);
        return out.toString();
    }

    @Test
    void copyTextFieldsEscapeBackslashesAndControlsAndWriteNullAsBackslashN() {
        assertThat(field(null)).isEqualTo("\t\\N");
        assertThat(field("")).isEqualTo("\t");
        // JSON's own escapes survive: COPY's text format would otherwise read \" as " and \n as a newline
        assertThat(field("{\"div\":\"a\\\"b\\nc\"}")).isEqualTo("\t{\"div\":\"a\\\\\"b\\\\nc\"}");
        assertThat(field("a\tb\nc\rd")).isEqualTo("\ta\\tb\\nc\\rd");
        assertThat(field("Zoë \\N")).isEqualTo("\tZoë \\\\N");
    }
}
