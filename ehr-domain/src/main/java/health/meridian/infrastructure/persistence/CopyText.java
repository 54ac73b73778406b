package health.meridian.infrastructure.persistence;

/** PostgreSQL {@code COPY … FROM STDIN} text format (the bulk path's {@link BatchInsert}). */
final class CopyText {

    private CopyText() {
    }

    /** One column of COPY's text format: tab-separated, {@code \N} for null, backslash and controls escaped. */
    static void field(StringBuilder out, String value) {
        out.append('\t');
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
