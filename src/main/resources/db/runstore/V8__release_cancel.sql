-- A release can be cancelled before its cutover (state 'cancelled', final): the one-active-apply index must count it
-- as ended, or a cancelled release would block the next apply of its name.
CREATE UNIQUE INDEX IF NOT EXISTS releases_one_active_apply ON ${schema}.releases (name)
    WHERE state NOT IN ('completed', 'failed', 'cancelled', 'rolled-back');
DROP INDEX IF EXISTS ${schema}.releases_one_active_per_name;
