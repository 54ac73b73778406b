-- Meridian EHR schema, step 10: the tenant admin takes members and patients off a care team. Issue #8.
-- Append-only file: never edit once landed.
--
-- A running membership is ended (period_end, already updatable since V3) so the team's history stays; a
-- membership that has not begun yet, and a patient's place on a team, are deleted. Row-level security
-- (tenant_isolation, V3, for every command) keeps both to the bound institution's teams.

GRANT DELETE ON care_team_member, care_team_patient TO ${app_role};
