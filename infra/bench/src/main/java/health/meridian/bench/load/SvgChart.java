package health.meridian.bench.load;

import java.util.List;
import java.util.Locale;

/** A plain SVG bar chart: p50, p95 and p99 latency (ms) per measured operation. */
final class SvgChart {

    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#e15759"};
    private static final int ROW = 34;
    private static final int LEFT = 260;
    private static final int WIDTH = 820;

    private SvgChart() {
    }

    static String render(String title, List<LatencyStats> stats) {
        List<LatencyStats> measured = stats.stream().filter(LatencyStats::measured).toList();
        double max = measured.stream().mapToDouble(LatencyStats::p99).filter(d -> !Double.isNaN(d)).max().orElse(1);
        int height = 70 + measured.size() * ROW;
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
                        + "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n"
                        + "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                WIDTH, height, escape(title)));
        legend(svg);
        for (int i = 0; i < measured.size(); i++) {
            row(svg, measured.get(i), 50 + i * ROW, max);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder svg) {
        String[] names = {"p50", "p95", "p99"};
        for (int i = 0; i < 3; i++) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"28\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"37\">%s (ms)</text>%n", LEFT + i * 90, COLORS[i], LEFT + 14 + i * 90, names[i]));
        }
    }

    private static void row(StringBuilder svg, LatencyStats s, int y, double max) {
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\">%s</text>%n", y + 16, escape(s.operation())));
        double[] values = {s.p50(), s.p95(), s.p99()};
        double span = WIDTH - LEFT - 80;
        for (int i = 0; i < 3; i++) {
            double w = Double.isNaN(values[i]) ? 0 : Math.max(1, values[i] / max * span);
            int by = y + i * 9;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"8\" fill=\"%s\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" font-size=\"9\">%.1f</text>%n",
                    LEFT, by, w, COLORS[i], LEFT + w + 4, by + 8, values[i]));
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
