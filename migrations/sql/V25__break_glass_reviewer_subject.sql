-- Issue #20: the break-the-glass review names its reviewer, not their username.
--   reviewed_by_subject  the reviewer's token subject, the key of their name in staff_name (V21, ADR 0027);
--                        reviewed_by keeps the username as before. Null for sessions reviewed before V25: those
--                        show the username.

ALTER TABLE break_glass_session ADD COLUMN reviewed_by_subject text
    CHECK (reviewed_by_subject IS NULL OR length(reviewed_by_subject) BETWEEN 1 AND 200);

GRANT UPDATE (reviewed_by_subject) ON break_glass_session TO ${app_role};
