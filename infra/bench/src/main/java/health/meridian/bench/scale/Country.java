package health.meridian.bench.scale;

import java.util.List;

/** Where a cloned patient lives: names, city, postal-code shape and phone prefix typical for the country. */
public enum Country {

    NL("NL", "Amsterdam", "Noord-Holland", "10%02d AB", "+31 20 ",
            List.of("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
                    "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer"),
            List.of("Daan", "Sem", "Lucas", "Levi", "Finn", "Bram", "Jesse", "Noah", "Thijs", "Ruben"),
            List.of("Emma", "Julia", "Sophie", "Tess", "Anna", "Fenna", "Sara", "Lotte", "Eva", "Noor")),
    DE("DE", "Berlin", "Berlin", "10%03d", "+49 30 ",
            List.of("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
                    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf"),
            List.of("Lukas", "Leon", "Felix", "Jonas", "Paul", "Maximilian", "Elias", "Ben", "Jan", "Tim"),
            List.of("Mia", "Hannah", "Lea", "Lena", "Marie", "Johanna", "Clara", "Luisa", "Jana", "Greta"));

    private final String code;
    private final String city;
    private final String state;
    private final String postalPattern;
    private final String phonePrefix;
    private final List<String> families;
    private final List<String> maleGiven;
    private final List<String> femaleGiven;

    Country(String code, String city, String state, String postalPattern, String phonePrefix, List<String> families,
            List<String> maleGiven, List<String> femaleGiven) {
        this.code = code;
        this.city = city;
        this.state = state;
        this.postalPattern = postalPattern;
        this.phonePrefix = phonePrefix;
        this.families = families;
        this.maleGiven = maleGiven;
        this.femaleGiven = femaleGiven;
    }

    public String code() {
        return code;
    }

    public String city() {
        return city;
    }

    public String state() {
        return state;
    }

    String postalCode(int n) {
        return String.format(postalPattern, Math.floorMod(n, code.equals("NL") ? 100 : 1000));
    }

    String phone(int n) {
        return phonePrefix + String.format("%07d", Math.floorMod(n, 10_000_000));
    }

    String family(int n) {
        return families.get(Math.floorMod(n, families.size()));
    }

    String given(boolean female, int n) {
        List<String> names = female ? femaleGiven : maleGiven;
        return names.get(Math.floorMod(n, names.size()));
    }

    /** Clones alternate between the countries: even indexes NL, odd DE (file i goes to tenant i mod 2 on import). */
    public static Country forClone(int cloneIndex) {
        return cloneIndex % 2 == 0 ? NL : DE;
    }
}
