-- Meridian EHR schema, step 14: row-level security reads a security label's code as the access policy does (issue #18).
-- Append-only file: never edit once landed.
--
-- An envelope keeps each security label as 'system|code'. The policy decision point (SensitiveCategory.of) takes the
-- code after the LAST bar; V3's meridian_sensitive_code took the second '|'-separated part. For a system that itself
-- holds a bar ('urn:odd|sys|PSY') row-level security then read 'sys' (not sensitive) and showed an
-- exclude-sensitive grantee a PSY record the policy refuses; for 'v3-ActCode|HIV|x' it read HIV and hid a record the
-- policy permits. AccessScopeContractIT found both. The function now reads the part after the last bar (the whole
-- label when it has none), exactly as the policy, the search mirror and ScopeSql do.

CREATE OR REPLACE FUNCTION meridian_sensitive_code(label text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN substring(label FROM '[^|]*$') = ANY (ARRAY['ETH', 'GDIS', 'HIV', 'MST', 'PSY', 'PSYTHPN', 'SCA',
                'SDV', 'SEX', 'SICKLE', 'STD', 'SUD', 'TBOO', 'BH']) THEN substring(label FROM '[^|]*$') END
$$;
