package health.meridian.search;

/** The alias every read and write goes through, and the versioned index behind it. */
public record IndexNames(String alias, String mappingVersion) {

    public static IndexNames records() {
        return new IndexNames("meridian-records", "v1");
    }

    public String concreteIndex() {
        return alias + "-" + mappingVersion;
    }

    public String mappingResource() {
        return "/search/mappings/records-" + mappingVersion + ".json";
    }
}
