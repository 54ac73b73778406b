package health.meridian.web.fhir;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The FHIR servlet's response with {@code flush()} of its writer and output stream ignored while the answer is
 * written; {@code close()} (HAPI closes the writer when the resource is encoded) and the container's end of the
 * request still send everything, and the container's own buffer still sends each full block as it fills.
 * <p>
 * Why: HAPI's JSON parser writes every string field through Jackson's {@code ObjectMapper.writeValue}, which flushes
 * the generator after each value ({@code SerializationFeature.FLUSH_AFTER_WRITE_VALUE}), and the flush reached the
 * servlet writer: one socket write per field (a Patient: ~100). Measured on the mixed audited workload
 * (docs/benchmarks.md, issue #21): the flushes were a third of a request thread's CPU. Nothing in a FHIR answer
 * needs an early flush (no streaming: the audit entry is committed before the encoding starts).
 */
final class CoalescedFlushResponse extends HttpServletResponseWrapper {

    private PrintWriter writer;
    private ServletOutputStream stream;

    CoalescedFlushResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new NoFlushWriter(super.getWriter()), false);
        }
        return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new NoFlushStream(super.getOutputStream());
        }
        return stream;
    }

    /** Writes through, closes through; flush does nothing (the container flushes at close and at the end). */
    private static final class NoFlushWriter extends Writer {
        private final Writer out;

        NoFlushWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void write(char[] buffer, int offset, int length) throws IOException {
            out.write(buffer, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            out.write(text, offset, length);
        }

        @Override
        public void write(int c) throws IOException {
            out.write(c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** As {@link NoFlushWriter}, for the byte stream (HAPI's gzip and binary answers). */
    private static final class NoFlushStream extends ServletOutputStream {
        private final ServletOutputStream out;

        NoFlushStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int offset, int length) throws IOException {
            out.write(b, offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }
}
