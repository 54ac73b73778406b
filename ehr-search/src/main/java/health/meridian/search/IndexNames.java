package health.meridian.search;

/** The alias every read and write goes through, and the versioned index behind it. */
public record IndexNames(String alias, String mappingVersion) {

    public static IndexNames records() {
        return new IndexNames("meridian-records", "v3");
    }

    /** The person cohort index (issue #8): one document per person, derived from the same shipped versions. */
    public static IndexNames persons() {
        return new IndexNames("meridian-persons", "v3");
    }

    public String concreteIndex() {
        return alias + "-" + mappingVersion;
    }

    /** Whether {@code index} was built from this mapping version: the concrete index or one of its rebuilds. */
    public boolean current(String index) {
        return index.equals(concreteIndex()) || index.startsWith(concreteIndex() + "-");
    }

    /** {@code /search/mappings/<name>-<version>.json}, the name being the alias without its {@code meridian-}. */
    public String mappingResource() {
        return "/search/mappings/" + alias.substring(alias.indexOf('-') + 1) + "-" + mappingVersion + ".json";
    }
}
